package io.rtc4j.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.Rtc4jTurnProcess;
import io.rtc4j.testkit.proc.TurnServerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code rtc4j peer offer} against {@code rtc4j peer answer}, both real processes on 127.0.0.1 (host candidates
 * bound to loopback only), speaking the issue-5 contract over HTTP: echo, bulk, relay-only through rtc4j's
 * own TURN server, and what the answerer does with bad requests.
 */
class PeerCommandProcessTest {
    private static PeerProcesses.Answerer answerer;
    private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        answerer = PeerProcesses.Answerer.start("--bind-address", "127.0.0.1");
    }

    @AfterAll
    static void stop() {
        if (answerer != null) {
            answerer.close();
        }
    }

    @Test
    void echoChecksEveryMessageOfTheSizeCycle() {
        var run = PeerProcesses.offer("--url", answerer.offerUrl(), "--mode", "echo", "--count", "30",
                "--bind-address", "127.0.0.1", "--timeout", "90");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.result()).containsEntry("peer", "rtc4j").containsEntry("role", "offer").containsEntry("mode", "echo")
                .containsEntry("ok", "true").containsEntry("messages", "30");
        assertThat(Double.parseDouble(run.result().get("connect_ms"))).isPositive();
    }

    @Test
    void aConnectionWhosePeerClosedDtlsIsClosedAtOnceFreeingItsSlot() throws Exception {
        // the offerer's close sends close_notify: the answerer closes its side then, not when consent fails (30 s)
        long before = closedLines();
        var run = PeerProcesses.offer("--url", answerer.offerUrl(), "--mode", "echo", "--count", "3",
                "--bind-address", "127.0.0.1", "--timeout", "60");
        assertThat(run.exit()).as(run.output()).isZero();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (closedLines() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(closedLines()).as(answerer.process().output()).isGreaterThan(before);
    }

    private static long closedLines() {
        return answerer.process().lines().stream().filter(l -> l.contains("peer answer connection=") && l.contains(" state=CLOSED")).count();
    }

    @Test
    void bulkIsCountedByTheAnswerer() {
        var run = PeerProcesses.offer("--url", answerer.offerUrl(), "--mode", "bulk", "--mib", "16",
                "--bind-address", "127.0.0.1", "--timeout", "120");
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.result()).containsEntry("ok", "true").containsEntry("bytes", String.valueOf(16L << 20));
        double secs = Double.parseDouble(run.result().get("secs"));
        // secs is printed to the millisecond, mbps (to 0.01) from the unrounded time: allow both roundings
        double mb = (16L << 20) / 1e6;
        assertThat(Double.parseDouble(run.result().get("mbps"))).isCloseTo(mb / secs,
                org.assertj.core.data.Offset.offset(mb * 0.0005 / (secs * (secs - 0.0005)) + 0.005));
    }

    @Test
    void relayOnlyThroughRtc4jTurnOnBothSides() {
        int port = FreePorts.udpAndTcp();
        try (TurnServerProcess turn = Rtc4jTurnProcess.builder().listeningIp("127.0.0.1").listeningPort(port)
                .relayPorts(FreePorts.relayRange(40)).realm("rtc4j").user("peer", "secret").allowedPeerIp("127.0.0.1")
                .extraArgs("--no-tls").start();
                var relayed = PeerProcesses.Answerer.start("--bind-address", "127.0.0.1", "--relay-only",
                        "--ice-server", "turn:127.0.0.1:" + port + "?transport=udp", "--ice-username", "peer", "--ice-credential", "secret")) {
            var run = PeerProcesses.offer("--url", relayed.offerUrl(), "--mode", "echo", "--count", "10", "--bind-address", "127.0.0.1",
                    "--relay-only", "--ice-server", "turn:127.0.0.1:" + port, "--ice-username", "peer", "--ice-credential", "secret",
                    "--timeout", "90");
            assertThat(run.exit()).as(run.output()).isZero();
            assertThat(run.result()).containsEntry("ok", "true").containsEntry("messages", "10").containsEntry("pair", "relay-relay");
        }
    }

    @Test
    void healthPreflightAndBadOffersAreAnsweredAndTheServerGoesOn() throws Exception {
        URI offer = URI.create(answerer.offerUrl());
        HttpResponse<String> h = http.send(HttpRequest.newBuilder(offer.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.body()).isEqualTo("{\"ok\":true,\"peer\":\"rtc4j\",\"version\":\"" + PeerCommand.VERSION + "\"}");
        assertThat(h.headers().firstValue("access-control-allow-origin")).contains("*");

        HttpResponse<String> pre = http.send(HttpRequest.newBuilder(offer).method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://127.0.0.1:1").header("Access-Control-Request-Method", "POST").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(pre.statusCode()).isEqualTo(204);
        assertThat(pre.headers().firstValue("access-control-allow-methods").orElse("")).contains("POST");

        for (String bad : new String[] {"not json", "{\"type\":\"answer\",\"sdp\":\"v=0\"}", "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}",
                "{\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 0.0.0.0\\r\\ns=-\\r\\nt=0 0\\r\\nm=audio 9 RTP/AVP 0\\r\\n\"}"}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(offer).POST(HttpRequest.BodyPublishers.ofString(bad)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(bad + " -> " + r.body()).isEqualTo(400);
            assertThat(r.body()).startsWith("{\"error\":");
        }
        HttpResponse<String> again = http.send(HttpRequest.newBuilder(offer.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(200);
    }

    @Test
    void trainRunsEchoAndBulkAgainstAnAnswerInTheSameJvm() {
        // what ./rtc4j runs once under -XX:AOTCacheOutput: it must succeed on its own, loopback only
        try (var p = io.rtc4j.testkit.proc.ManagedProcess.builder(PeerProcesses.java("peer", "train")).name("peer-train")
                .logToTargetDir().start()) {
            assertThat(p.awaitExit(Duration.ofSeconds(120))).as(p.output()).isZero();
            assertThat(p.lines().stream().filter(l -> l.startsWith("rtc4j peer train: {") && l.contains("\"ok\":true")))
                    .as(p.output()).hasSize(2);
        }
    }

    @Test
    void anUnreachableAnswererIsOneFailedResultAndExitOne() {
        var run = PeerProcesses.offer("--url", "http://127.0.0.1:" + FreePorts.udpAndTcp() + "/offer", "--mode", "bulk",
                "--bind-address", "127.0.0.1", "--timeout", "20");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.result()).containsEntry("ok", "false").containsEntry("mode", "bulk").containsKey("error");
    }

    @Test
    void aBadCommandLineIsStillOneFailedResultAndExitOne() {
        var run = PeerProcesses.offer("--url", answerer.offerUrl(), "--mode", "bulk", "--no-such-option");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.result()).containsEntry("ok", "false").containsEntry("mode", "bulk");
        assertThat(run.result().get("error")).contains("--no-such-option");
    }

    @Test
    void concurrentOffersGetIndependentConnections() throws Exception {
        var echo = java.util.concurrent.CompletableFuture.supplyAsync(() -> PeerProcesses.offer("--url", answerer.offerUrl(), "--mode", "echo",
                "--count", "20", "--bind-address", "127.0.0.1", "--timeout", "120"));
        var bulk = java.util.concurrent.CompletableFuture.supplyAsync(() -> PeerProcesses.offer("--url", answerer.offerUrl(), "--mode", "bulk",
                "--mib", "8", "--bind-address", "127.0.0.1", "--timeout", "120"));
        var e = echo.get(200, java.util.concurrent.TimeUnit.SECONDS);
        var b = bulk.get(200, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(e.result()).as(e.output()).containsEntry("ok", "true").containsEntry("messages", "20");
        assertThat(b.result()).as(b.output()).containsEntry("ok", "true").containsEntry("bytes", String.valueOf(8L << 20));
    }
}
