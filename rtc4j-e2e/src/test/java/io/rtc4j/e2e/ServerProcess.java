package io.rtc4j.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./rtc4j server} as a real process (the shaded jar on the JDK that runs the tests) inside a
 * {@link LoopbackNamespace}. The namespace is ours alone, so fixed ports cannot collide with anything.
 */
final class ServerProcess implements AutoCloseable {
    static final int HTTP_PORT = 8080;
    static final int TURN_PORT = 3478;
    static final int RELAY_MIN_PORT = 40000;
    static final int RELAY_MAX_PORT = 40999;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log, int httpPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /** The embedded TURN server's options for the tests: loopback only, a small relay range, no TLS. */
    static final List<String> TURN_ARGS = List.of(
            "--listening-ip", "127.0.0.1",
            "--listening-port", Integer.toString(TURN_PORT),
            "--no-tls",
            // the browsers' relayed candidates are on this namespace's loopback, so the relay must reach it
            "--allow-loopback-peers",
            "--min-port", Integer.toString(RELAY_MIN_PORT), "--max-port", Integer.toString(RELAY_MAX_PORT));

    private final int httpPort;

    /** The server with its embedded TURN server on {@link #HTTP_PORT}. */
    static ServerProcess start(LoopbackNamespace ns, Path outDir) throws IOException, InterruptedException {
        return start(ns, outDir, HTTP_PORT, TURN_ARGS);
    }

    static ServerProcess start(LoopbackNamespace ns, Path outDir, int httpPort, List<String> args)
            throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("rtc4j.server.jar", "../rtc4j-server/target/rtc4j.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build rtc4j-server (package) first");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toAbsolutePath().toString(), "server",
                "--http-port", Integer.toString(httpPort)));
        cmd.addAll(args);
        Files.createDirectories(outDir);
        Path log = outDir.resolve("server-" + ns.name() + "-" + httpPort + ".log");
        Process p = new ProcessBuilder(ns.wrap(cmd))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        ServerProcess server = new ServerProcess(p, log, httpPort);
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (!ns.tcpListening(httpPort)) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited with " + p.exitValue() + ":\n" + server.logText());
            }
            if (Instant.now().isAfter(deadline)) {
                server.close();
                throw new IllegalStateException("server did not listen within " + START_TIMEOUT + ":\n" + server.logText());
            }
            Thread.sleep(200);
        }
        return server;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
