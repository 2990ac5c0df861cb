package io.rtc4j.e2e;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace with only {@code lo} up (ENGINEERING.md §4): the server and the browsers run inside,
 * so every packet of the end-to-end tests stays on that namespace's loopback. Unique name per run; deleted on
 * close, also when a test failed. Needs root: without it the tests are skipped, except under CI=true, where
 * that is a failure.
 */
final class LoopbackNamespace implements AutoCloseable {
    private final String name;

    private LoopbackNamespace(String name) {
        this.name = name;
    }

    static LoopbackNamespace create() {
        requireRoot();
        String name = "rtc4j-e2e-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
        run(List.of("ip", "netns", "add", name));
        LoopbackNamespace ns = new LoopbackNamespace(name);
        try {
            run(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    String name() {
        return name;
    }

    /** The command, prefixed so that it runs inside this namespace. */
    List<String> wrap(List<String> command) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", name));
        out.addAll(command);
        return out;
    }

    /** True once something accepts TCP connections on 127.0.0.1:port inside the namespace. */
    boolean tcpListening(int port) {
        try {
            Process p = new ProcessBuilder(wrap(List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        run(List.of("ip", "netns", "delete", name));
    }

    private static void requireRoot() {
        boolean root = "0".equals(capture(List.of("id", "-u")).strip());
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!root && ci) {
            fail("the end-to-end tests need root for `ip netns` and CI=true: refusing to skip them");
        }
        assumeTrue(root, "the end-to-end tests need root for `ip netns`");
    }

    static String capture(List<String> command) {
        return exec(command, false);
    }

    private static void run(List<String> command) {
        exec(command, true);
    }

    private static String exec(List<String> command, boolean requireSuccess) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (requireSuccess && p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited " + p.exitValue() + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }
}
