package io.rtc4j.server.peer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rtc4j.dtls.DtlsCertificate;
import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelMessage;
import io.rtc4j.peer.RtcDtlsTransportState;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcPeerConnectionState;
import io.rtc4j.peer.RtcSessionDescription;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rtc4j peer answer}: HTTP {@code POST /offer} takes {"type":"offer","sdp":...}, starts a new independent
 * connection and answers once ICE gathering is complete (non-trickle: every candidate in the SDP). A channel
 * labelled {@code bulk} counts binary bytes and answers the text {@code END} with the decimal count; every
 * other channel echoes each message with its kind. {@code GET /health} says it is ready. CORS headers let a
 * page from another origin post to it.
 */
@Command(name = "answer", mixinStandardHelpOptions = true, description = "Serve POST /offer and answer data-channel offers.")
final class PeerAnswerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(PeerAnswerCommand.class);
    static final int MAX_CONNECTIONS = 64;
    private static final Duration GATHERING_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    @Option(names = "--port", required = true, description = "HTTP port.")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "HTTP address (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--lifetime", defaultValue = "0", description = "Exit after this many seconds (0: run until stopped).")
    long lifetimeSeconds;

    @Mixin
    PeerIceOptions ice;

    /** Counted down to stop serving: by the shutdown hook, the lifetime, or {@link PeerTrainCommand}. */
    final CountDownLatch stop = new CountDownLatch(1);

    private final Set<RtcPeerConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong served = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535 || lifetimeSeconds < 0) {
            System.err.println("peer answer: --port must be 0..65535 and --lifetime >= 0");
            return 2;
        }
        RtcConfiguration config;
        try {
            // One certificate for every connection this server answers (W3C: an RTCCertificate may serve many
            // connections): its fingerprint is the server's identity, and no key pair is made per offer.
            config = ice.builder().certificate(DtlsCertificate.generateEcdsa(new SecureRandom(), Instant.now())).build();
        } catch (IllegalArgumentException e) {
            System.err.println("peer answer: " + e.getMessage());
            return 2;
        }
        if (!ice.iceServers.isEmpty()) {
            PeerIceOptions.warnUnused(config);
        }
        HttpServer http = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/offer", ex -> handle(ex, () -> offer(ex, config)));
        http.createContext("/health", ex -> handle(ex, () -> health(ex)));
        http.createContext("/", ex -> handle(ex, () -> reply(ex, 404, "{\"error\":\"not found\"}")));
        http.start();
        log.info("peer answer listening http=http://{}:{}/offer lifetime_s={}", host, http.getAddress().getPort(), lifetimeSeconds);
        System.out.println("READY http://" + host + ":" + http.getAddress().getPort() + "/offer");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        try {
            if (lifetimeSeconds > 0) {
                stop.await(lifetimeSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
        } finally {
            http.stop(0);
            connections.forEach(RtcPeerConnection::close);
            executor.shutdownNow();
        }
        return 0;
    }

    private interface Handler {
        void run() throws IOException, InterruptedException;
    }

    private static void handle(HttpExchange ex, Handler h) {
        try (ex) {
            // CORS (and Chromium's Private/Local Network Access preflight): pages of any origin may post here
            ex.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type");
            ex.getResponseHeaders().add("Access-Control-Allow-Private-Network", "true");
            ex.getResponseHeaders().add("Access-Control-Max-Age", "600");
            if (ex.getRequestMethod().equals("OPTIONS")) {
                ex.sendResponseHeaders(204, -1);
                return;
            }
            h.run();
        } catch (IOException e) {
            log.debug("peer answer http error={}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void health(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("GET")) {
            reply(ex, 405, "{\"error\":\"GET only\"}");
            return;
        }
        reply(ex, 200, "{\"ok\":true,\"peer\":\"rtc4j\",\"version\":" + PeerJson.quote(PeerCommand.VERSION) + "}");
    }

    private void offer(HttpExchange ex, RtcConfiguration config) throws IOException, InterruptedException {
        if (!ex.getRequestMethod().equals("POST")) {
            reply(ex, 405, "{\"error\":\"POST only\"}");
            return;
        }
        String body = readBody(ex.getRequestBody());
        Map<String, String> json = body == null ? null : PeerJson.parseFlatObject(body).orElse(null);
        if (json == null || !"offer".equals(json.get("type")) || json.get("sdp") == null) {
            reply(ex, 400, "{\"error\":\"expected {\\\"type\\\":\\\"offer\\\",\\\"sdp\\\":...}\"}");
            return;
        }
        if (connections.size() >= MAX_CONNECTIONS) {
            reply(ex, 503, "{\"error\":\"too many connections\"}");
            return;
        }
        RtcPeerConnection pc = RtcPeerConnection.create(config);
        connections.add(pc);
        long n = served.incrementAndGet();
        AtomicBoolean everConnected = new AtomicBoolean();
        pc.onConnectionStateChange(s -> {
            if (s == RtcPeerConnectionState.CONNECTED) {
                everConnected.set(true);
            }
            log.info("peer answer connection={} state={}{}", n, s, pc.failureReason().isEmpty() ? "" : " reason=" + pc.failureReason());
            // a peer that closed DTLS (close_notify) never comes back: free its slot now, not after consent fails
            if (s == RtcPeerConnectionState.FAILED || s == RtcPeerConnectionState.CLOSED
                    || (s == RtcPeerConnectionState.DISCONNECTED && pc.dtlsTransportState() == RtcDtlsTransportState.CLOSED)) {
                connections.remove(pc);
                Thread.ofVirtual().start(pc::close); // not on the connection's own thread: close joins it
            }
        });
        pc.onDataChannel(ch -> attach(n, ch));
        // a peer that never connects must not hold one of the MAX_CONNECTIONS slots for ever
        Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(CONNECT_TIMEOUT);
            } catch (InterruptedException e) {
                return;
            }
            if (!everConnected.get() && connections.remove(pc)) {
                log.info("peer answer connection={} closed reason=not connected after {} s", n, CONNECT_TIMEOUT.toSeconds());
                pc.close();
            }
        });
        try {
            pc.setRemoteDescription(RtcSessionDescription.offer(json.get("sdp")));
            pc.setLocalDescription(pc.createAnswer());
            if (!pc.awaitIceGatheringComplete(GATHERING_TIMEOUT)) {
                throw new IllegalStateException("ICE gathering did not complete in " + GATHERING_TIMEOUT.toSeconds() + " s");
            }
            String sdp = pc.localDescription().orElseThrow().sdp();
            reply(ex, 200, PeerJson.description("answer", sdp));
        } catch (IllegalArgumentException | IllegalStateException e) {
            connections.remove(pc);
            pc.close();
            log.info("peer answer connection={} rejected reason={}", n, e.getMessage());
            reply(ex, 400, "{\"error\":" + PeerJson.quote(String.valueOf(e.getMessage())) + "}");
        }
    }

    /** Runs on the connection's thread: bulk counts, everything else echoes. */
    private static void attach(long n, RtcDataChannel ch) {
        log.info("peer answer connection={} channel={} id={}", n, ch.label(), ch.id().orElse(-1));
        if (ch.label().equals("bulk")) {
            long[] bytes = {0};
            ch.onMessage(m -> {
                if (m.binary()) {
                    bytes[0] += m.data().length;
                } else if (m.text().equals("END")) {
                    ch.send(Long.toString(bytes[0]));
                    bytes[0] = 0;
                }
            });
        } else {
            ch.onMessage(m -> echo(ch, m));
        }
    }

    private static void echo(RtcDataChannel ch, RtcDataChannelMessage m) {
        if (m.binary()) {
            ch.send(m.data());
        } else {
            ch.send(m.text());
        }
    }

    private static String readBody(InputStream in) throws IOException {
        byte[] b = in.readNBytes(PeerJson.MAX_LENGTH + 1);
        return b.length > PeerJson.MAX_LENGTH ? null : new String(b, StandardCharsets.UTF_8);
    }

    static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
