package io.rtc4j.server.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * rtc4j's RtcPeerConnection and `rtc4j peer` with headless Debian Chromium, each scenario in a network namespace
 * this test makes with only lo up (all traffic stays on its loopback). {@link ChromiumPeerCheck} runs there in a
 * child JVM and prints CHECK lines; this test asserts on them. Needs root and /usr/bin/chromium: skipped
 * without them locally, a failure under CI=true.
 */
class ChromiumPeerInteropTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @Test
    void chromiumOffersRtc4jAnswers() throws Exception {
        String out = runScenario("chromium-offers", false);
        assertThat(out).contains("CHECK ok opened echo sha closeme neg", "CHECK ok echo 8 messages", "CHECK ok negotiated echo 8 messages",
                "CHECK ok max-size 262144", "CHECK ok rtc4j-initiated close seen by chromium", "CHECK ok chromium->rtc4j 200 MiB sha256 matches",
                "CHECK ok chromium closed echo", "CHECK ok rtc4j saw echo closed");
    }

    @Test
    void rtc4jOffersChromiumAnswers() throws Exception {
        String out = runScenario("rtc4j-offers", false);
        assertThat(out).contains("CHECK ok page sha256 self-test", "CHECK ok rtc4j-offer opened echo neg sink",
                "CHECK ok rtc4j echo via chromium on echo 9 messages, the last at max-size 262144",
                "CHECK ok rtc4j echo via chromium on neg 9 messages", "CHECK ok rtc4j->chromium 200 MiB sha256 matches",
                "CHECK ok rtc4j-initiated close seen by chromium", "CHECK ok chromium-initiated close seen by rtc4j");
    }

    @Test
    void chromiumPagePostsToPeerAnswerProcess() throws Exception {
        String out = runScenario("page-to-peer-answer", false);
        assertThat(out).contains("CHECK ok health {\"ok\":true,\"peer\":\"rtc4j\"", "CHECK ok echo 8 messages", "CHECK ok max-size 262144",
                "CHECK ok bulk count " + (200L << 20));
        // issue 5: inside a loopback-only namespace the peer offers a 127.0.0.1 host candidate
        assertThat(out).containsPattern("CHECK ok peer-answer-candidates [^\\n]*127\\.0\\.0\\.1:\\d+/host");
    }

    @Test
    void peerOfferProcessAgainstChromiumPage() throws Exception {
        String out = runScenario("peer-offer-to-page", false);
        assertThat(out).containsPattern("CHECK ok peer-offer exit=0 RESULT \\{\"peer\":\"rtc4j\",\"role\":\"offer\",\"mode\":\"echo\",\"ok\":true,[^\\n]*\"messages\":40");
        assertThat(out).containsPattern("CHECK ok peer-offer exit=0 RESULT \\{[^\\n]*\"mode\":\"bulk\",\"ok\":true,[^\\n]*\"bytes\":" + (200L << 20));
    }

    /**
     * Chromium with its default mDNS host candidates (WebRtcHideLocalIpsWithMdns on, and without
     * --use-fake-ui-for-media-stream, because a page holding camera permission gets plain addresses). Seen with
     * Chromium 156 here: in a loopback-only namespace it gathers no candidate at all and never completes
     * gathering, so no peer can connect to it (hence no test there). With a private address (a veth pair whose
     * both ends stay inside the namespace, 10.77.0.1/24) and a default route over it, Chromium offers one
     * {@code <uuid>.local} host candidate; rtc4j resolves it by mDNS and connects to 10.77.0.1 (as host, or as
     * peer-reflexive when Chromium's check arrives before the name is resolved: both happen, run to run).
     */
    @Test
    void chromiumWithItsDefaultMdnsHostCandidates() throws Exception {
        String out = runScenario("mdns", true);
        assertThat(out).containsPattern("CHECK ok chromium-offer-candidates [0-9a-f-]{36}\\.local:\\d+/host");
        assertThat(out).containsPattern("CHECK ok opened echo sha closeme neg pair=host-host rtc4j-pair=host-(host|prflx) remote=/10\\.77\\.0\\.1:");
        assertThat(out).contains("CHECK ok chromium gathering complete", "CHECK ok echo 8 messages",
                "CHECK ok chromium->rtc4j 4 MiB sha256 matches", "CHECK ok rtc4j saw echo closed");
    }

    @Test
    void chromiumAndRtc4jRelayOnlyThroughRtc4jTurn() throws Exception {
        String out = runScenario("turn", false);
        assertThat(out).contains("CHECK ok opened echo sha closeme neg pair=relay-relay rtc4j-pair=relay-relay",
                "CHECK ok echo 8 messages", "CHECK ok chromium->rtc4j 16 MiB sha256 matches", "CHECK ok rtc4j saw echo closed");
    }

    private static String runScenario(String scenario, boolean mdns) throws Exception {
        boolean ready = Files.isExecutable(CHROMIUM) && Files.isExecutable(Path.of("/usr/sbin/ip")) && isRoot();
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(ready, "needs root, iproute2 and /usr/bin/chromium");
        }
        assertThat(ready).as("CI needs root, iproute2 and /usr/bin/chromium").isTrue();
        String ns = "rtc4jpeer" + ProcessHandle.current().pid() + Math.floorMod(scenario.hashCode(), 1000);
        run(List.of("ip", "netns", "add", ns));
        try {
            run(List.of("ip", "-n", ns, "link", "set", "lo", "up"));
            if (mdns) {
                // a private address for Chromium to hide: a veth pair with both ends inside the namespace, and a
                // default route over it (without one Chromium registers no mDNS name); nothing leaves the namespace
                run(List.of("ip", "-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1"));
                run(List.of("ip", "-n", ns, "addr", "add", "10.77.0.1/24", "dev", "v0"));
                run(List.of("ip", "-n", ns, "link", "set", "v0", "up"));
                run(List.of("ip", "-n", ns, "link", "set", "v1", "up"));
                run(List.of("ip", "-n", ns, "route", "add", "default", "dev", "v0"));
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Process p = new ProcessBuilder("ip", "netns", "exec", ns, java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g", "-cp", cp,
                    ChromiumPeerCheck.class.getName(), scenario, CHROMIUM.toString(), mdns ? "mdns" : "plain").redirectErrorStream(true).start();
            p.getOutputStream().close();
            StringBuilder out = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (var r = p.inputReader(StandardCharsets.UTF_8)) {
                    r.lines().forEach(l -> {
                        synchronized (out) {
                            out.append(l).append('\n');
                        }
                        System.out.println(scenario + ": " + l);
                    });
                } catch (IOException e) {
                    // the process ended
                }
            });
            boolean done = p.waitFor(300, TimeUnit.SECONDS);
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
            reader.join(10_000);
            String text;
            synchronized (out) {
                text = out.toString();
            }
            assertThat(done).as("check finished in 300 s:\n" + text).isTrue();
            assertThat(text).as(text).doesNotContain("CHECK failure").contains("CHECK end failures=0");
            assertThat(p.exitValue()).as(text).isZero();
            return text;
        } finally {
            run(List.of("ip", "netns", "del", ns));
        }
    }

    private static boolean isRoot() {
        try {
            Process p = new ProcessBuilder("id", "-u").start();
            return p.waitFor(10, TimeUnit.SECONDS) && new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().equals("0");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (p.exitValue() != 0) {
            throw new IOException(cmd + " failed: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
