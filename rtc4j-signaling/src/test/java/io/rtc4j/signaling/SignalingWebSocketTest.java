package io.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every rule once more over real WebSockets on loopback: the Netty transport in front of the engine. */
class SignalingWebSocketTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();
    private SignalingServer server;

    private SignalingServer start(SignalingConfig config) throws InterruptedException {
        server = SignalingServer.start(SignalingServerSettings.of(LOOPBACK, 0).withIoThreads(2), config,
                (room, peer, host, now) -> List.of(IceServer.stun("stun:" + host + ":3478")), Clock.systemUTC());
        open.add(server);
        return server;
    }

    private WsClient client(String query) {
        WsClient c = new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws" + query));
        open.add(0, c);
        return c;
    }

    private WsClient client() {
        return client("");
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        http.close();
    }

    @Test
    void baseProtocol() throws Exception {
        start(SignalingConfig.defaults());
        WsClient a = client().join("room", "alice");
        JsonNode ice = a.next("ice_servers");
        assertThat(ice.get("ice_servers").toString()).isEqualTo("[{\"urls\":[\"stun:127.0.0.1:3478\"]}]");
        assertThat(a.next("room_peers").get("peers").toString()).isEqualTo("[]");
        WsClient b = client().join("room", "bob");
        assertThat(b.joined().get("peers").toString()).isEqualTo("[\"alice\"]");
        assertThat(a.next()).hasToString("{\"type\":\"peer_joined\",\"peer_id\":\"bob\"}");
        b.send("{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
        assertThat(a.next()).hasToString("{\"type\":\"offer\",\"from\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
        a.send("{\"type\":\"answer\",\"target\":\"bob\",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
        assertThat(b.next()).hasToString("{\"type\":\"answer\",\"from\":\"alice\",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
        a.send("{\"type\":\"ice_candidate\",\"target\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        assertThat(b.next()).hasToString("{\"type\":\"ice_candidate\",\"from\":\"alice\",\"candidate\":{\"candidate\":"
                + "\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}");
        b.ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
        assertThat(a.next()).hasToString("{\"type\":\"peer_left\",\"peer_id\":\"bob\"}");
        a.send("{\"type\":\"leave\"}");
        WsClient c = client().join("room", "carol");
        assertThat(c.joined().get("peers").toString()).isEqualTo("[]");
    }

    /**
     * Batched transport: inputs from both I/O loops reach the engine in batches and writes go back one task per
     * loop per batch; every relayed message still arrives, once, in the order its sender sent it.
     */
    @Test
    void relayedMessagesArriveInOrderAcrossEventLoops() throws Exception {
        start(SignalingConfig.builder().rateLimit(10_000, 10_000).build());
        int peers = 4;
        int perSender = 150;
        List<WsClient> cs = new ArrayList<>();
        for (int p = 0; p < peers; p++) {
            WsClient c = client().join("order", "p" + p);
            c.joined();
            cs.add(c);
        }
        for (int p = 0; p < peers; p++) { // drain the peer_joined messages of the later joiners
            for (int q = p + 1; q < peers; q++) {
                cs.get(p).next("peer_joined");
            }
        }
        for (int i = 0; i < perSender; i++) {
            for (int p = 0; p < peers; p++) { // everyone sends to everyone else, interleaved
                for (int q = 0; q < peers; q++) {
                    if (q != p) {
                        cs.get(p).send("{\"type\":\"ice_candidate\",\"target\":\"p" + q
                                + "\",\"candidate\":{\"candidate\":\"x\"},\"seq\":" + i + "}");
                    }
                }
            }
        }
        for (int q = 0; q < peers; q++) {
            int[] nextSeq = new int[peers];
            for (int k = 0; k < perSender * (peers - 1); k++) {
                JsonNode m = cs.get(q).next("ice_candidate");
                int from = Integer.parseInt(m.get("from").asText().substring(1));
                assertThat(m.get("seq").asInt()).as("from p%d to p%d", from, q).isEqualTo(nextSeq[from]++);
            }
            for (int p = 0; p < peers; p++) {
                assertThat(nextSeq[p]).isEqualTo(p == q ? 0 : perSender);
            }
        }
    }

    @Test
    void roomsAreIsolated() throws Exception {
        start(SignalingConfig.defaults());
        WsClient a = client().join("one", "alice");
        a.joined();
        WsClient x = client().join("two", "xavier");
        x.joined();
        WsClient y = client().join("two", "yvonne");
        assertThat(y.joined().get("peers").toString()).isEqualTo("[\"xavier\"]");
        x.next("peer_joined");
        x.send("{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{}}");
        assertThat(x.next("error").get("code").asText()).isEqualTo("unknown_target");
        x.send("{\"type\":\"chat\",\"text\":\"two only\"}");
        assertThat(y.next("chat").get("text").asText()).isEqualTo("two only");
        // a ping from alice after everything else proves (FIFO per connection) that nothing of room two reached her
        a.send("{\"type\":\"ping\"}");
        assertThat(a.next().get("type").asText()).isEqualTo("pong");
    }

    @Test
    void duplicatePeerIdReplacesTheOldConnection() throws Exception {
        start(SignalingConfig.defaults());
        WsClient a = client().join("r", "alice");
        a.joined();
        WsClient old = client().join("r", "bob");
        old.joined();
        a.next("peer_joined");
        WsClient fresh = client().join("r", "bob");
        assertThat(fresh.joined().get("peers").toString()).isEqualTo("[\"alice\"]");
        assertThat(old.next("error").get("code").asText()).isEqualTo("replaced");
        assertThat(old.awaitClose()).isEqualTo(SignalingEngine.CLOSE_REPLACED);
        assertThat(a.next()).hasToString("{\"type\":\"peer_left\",\"peer_id\":\"bob\"}");
        assertThat(a.next()).hasToString("{\"type\":\"peer_joined\",\"peer_id\":\"bob\"}");
        a.send("{\"type\":\"offer\",\"target\":\"bob\",\"offer\":{}}");
        assertThat(fresh.next("offer").get("from").asText()).isEqualTo("alice");
    }

    @Test
    void duplicatePeerIdRejected() throws Exception {
        start(SignalingConfig.builder().duplicatePeerPolicy(DuplicatePeerPolicy.REJECT).build());
        client().join("r", "alice").joined();
        WsClient dup = client().join("r", "alice");
        assertThat(dup.next("error").get("code").asText()).isEqualTo("peer_id_taken");
        dup.join("r", "alice-2");
        assertThat(dup.joined().get("peers").toString()).isEqualTo("[\"alice\"]");
    }

    @Test
    void capacity() throws Exception {
        start(SignalingConfig.builder().maxPeersPerRoom(2).build());
        client().join("r", "a").joined();
        client().join("r", "b").joined();
        WsClient c = client().join("r", "c");
        assertThat(c.next("error").get("code").asText()).isEqualTo("room_full");
        c.join("other", "c");
        c.joined();
    }

    @Test
    void tokens() throws Exception {
        byte[] secret = "signaling-test-secret-0123".getBytes(StandardCharsets.UTF_8);
        start(SignalingConfig.builder().tokenSecret(secret).build());
        AccessToken t = new AccessToken(secret);
        java.time.Instant now = java.time.Instant.now();
        WsClient c = client().join("r", "alice");
        assertThat(c.next("error").get("code").asText()).isEqualTo("token_required");
        String forR = t.mint(new RoomId("r"), new PeerId("alice"), Duration.ofMinutes(5), now);
        c.send("{\"type\":\"join\",\"room_id\":\"s\",\"peer_id\":\"alice\",\"token\":\"" + forR + "\"}");
        assertThat(c.next("error").get("code").asText()).isEqualTo("token_wrong_room");
        String expired = t.mint(new RoomId("r"), new PeerId("alice"), Duration.ofSeconds(1), now.minusSeconds(60));
        c.send("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"token\":\"" + expired + "\"}");
        assertThat(c.next("error").get("code").asText()).isEqualTo("token_expired");
        c.send("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"token\":\"x.y.z\"}");
        assertThat(c.next("error").get("code").asText()).isEqualTo("token_invalid");
        c.send("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"token\":\"" + forR + "\"}");
        c.joined();
        // a token in the URL, as browsers do it (WebSocket has no headers)
        WsClient q = client("?token=" + t.mint(new RoomId("r"), null, Duration.ofMinutes(5), now)).join("r", "bob");
        assertThat(q.joined().get("peers").toString()).isEqualTo("[\"alice\"]");
    }

    @Test
    void oversizeMessageClosesWith1009() throws Exception {
        start(SignalingConfig.builder().maxMessageBytes(4096).build());
        WsClient c = client().join("r", "a");
        c.joined();
        c.ws.sendText("{\"type\":\"chat\",\"text\":\"" + "x".repeat(5000) + "\"}", true);
        assertThat(c.awaitClose()).isEqualTo(1009);
    }

    @Test
    void fragmentedMessageIsReassembled() throws Exception {
        start(SignalingConfig.defaults());
        WsClient a = client().join("r", "a");
        a.joined();
        WsClient b = client().join("r", "b");
        b.joined();
        a.next("peer_joined");
        b.ws.sendText("{\"type\":\"chat\",", false).get(10, TimeUnit.SECONDS);
        b.ws.sendText("\"text\":\"in two parts\"}", true).get(10, TimeUnit.SECONDS);
        assertThat(a.next("chat").get("text").asText()).isEqualTo("in two parts");
    }

    @Test
    void rateLimit() throws Exception {
        start(SignalingConfig.builder().rateLimit(1, 5).build());
        WsClient c = client();
        for (int i = 0; i < 20; i++) {
            c.send("{\"type\":\"ping\"}");
        }
        List<String> types = new ArrayList<>();
        JsonNode m;
        do {
            m = c.next();
            types.add(m.get("type").asText());
        } while (!m.get("type").asText().equals("error"));
        assertThat(types).containsExactly("pong", "pong", "pong", "pong", "pong", "error");
        assertThat(m.get("code").asText()).isEqualTo("rate_limited");
        assertThat(c.closed).isNotDone(); // dropped, not disconnected
    }

    @Test
    void badInputKeepsTheConnectionUsable() throws Exception {
        start(SignalingConfig.defaults());
        WsClient c = client().join("r", "a");
        c.joined();
        String[][] cases = {
            {"{oops", "bad_json"},
            {"{\"type\":\"teleport\"}", "unknown_type"},
            {"{\"peer_id\":\"x\"}", "missing_field"},
            {"{\"type\":\"offer\",\"target\":\"b\"}", "missing_field"},
            {"{\"type\":\"join\",\"room_id\":\"r\"}", "missing_field"},
        };
        for (String[] bad : cases) {
            c.send(bad[0]);
            JsonNode e = c.next("error");
            assertThat(e.get("code").asText()).as(bad[0]).isEqualTo(bad[1]);
        }
        c.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
        assertThat(c.next("error").get("code").asText()).isEqualTo("bad_json");
        c.send("{\"type\":\"ping\"}");
        c.next("pong");
    }

    @Test
    void disconnectMidNegotiationTellsTheRoom() throws Exception {
        start(SignalingConfig.defaults());
        WsClient a = client().join("r", "alice");
        a.joined();
        WsClient b = client().join("r", "bob");
        b.joined();
        a.next("peer_joined");
        b.send("{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{\"sdp\":\"v=0\"}}");
        a.next("offer");
        b.ws.abort(); // TCP gone without a close frame, before the answer
        assertThat(a.next()).hasToString("{\"type\":\"peer_left\",\"peer_id\":\"bob\"}");
    }

    @Test
    void heartbeatsKeepALiveClientAndIdleTimeoutClosesASilentOne() throws Exception {
        start(SignalingConfig.builder().heartbeat(Duration.ofMillis(100), Duration.ofMillis(400)).build());
        WsClient live = client().join("r", "live");
        live.joined();
        // a silent client: a raw socket that completes the handshake, joins, then never answers pings
        try (Socket raw = new Socket(LOOPBACK, server.port())) {
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = raw.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) { // a client waits for 101 before sending frames
                int ch = in.read();
                assertThat(ch).isNotNegative();
                head.append((char) ch);
            }
            assertThat(head.toString()).startsWith("HTTP/1.1 101");
            out.write(maskedText("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"silent\"}"));
            out.flush();
            // the server pings, gets no pong, and closes: read until EOF (bounded by the socket timeout)
            byte[] buf = new byte[4096];
            boolean sawClose = false;
            int n;
            ByteCollector all = new ByteCollector();
            while ((n = in.read(buf)) >= 0) {
                all.add(buf, n);
            }
            byte[] bytes = all.bytes();
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            // close frame 0x88 with status 1001 (0x03E9)
            for (int i = 0; i + 3 < bytes.length; i++) {
                if ((bytes[i] & 0xff) == 0x88 && (bytes[i + 2] & 0xff) == 0x03 && (bytes[i + 3] & 0xff) == 0xE9) {
                    sawClose = true;
                }
            }
            assertThat(sawClose).as("close frame with 1001 going away").isTrue();
            assertThat(text).contains("\u0089"); // at least one ping frame (opcode 0x9, FIN) before it
        }
        assertThat(live.next()).hasToString("{\"type\":\"peer_joined\",\"peer_id\":\"silent\"}");
        assertThat(live.next()).hasToString("{\"type\":\"peer_left\",\"peer_id\":\"silent\"}");
        // the JDK client answers pings: once it has seen several, well past the idle timeout, it is still open
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (live.pings.get() < 8 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(live.pings.get()).isGreaterThanOrEqualTo(8);
        assertThat(live.closed).isNotDone();
        live.send("{\"type\":\"ping\"}");
        live.next("pong");
    }

    /** RFC 6455 §8.1: a text message that is not UTF-8 closes with 1007; valid multi-byte text and U+FFFD pass. */
    @Test
    void invalidUtf8ClosesWith1007() throws Exception {
        start(SignalingConfig.defaults());
        WsClient ok = client().join("r", "b\uFFFDö😀");
        assertThat(ok.joined().get("peer_id").asText()).isEqualTo("b\uFFFDö😀");
        try (Socket raw = new Socket(LOOPBACK, server.port())) {
            raw.setSoTimeout(10_000);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = raw.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int ch = in.read();
                assertThat(ch).isNotNegative();
                head.append((char) ch);
            }
            byte[] bad = "{\"type\":\"ping\",\"x\":\"?(\"}".getBytes(StandardCharsets.US_ASCII);
            bad[bad.length - 4] = (byte) 0xC3; // 0xC3 0x28: a lead byte without its continuation
            out.write(maskedText(bad));
            out.flush();
            int b0 = in.read();
            int len = in.read();
            assertThat(b0).isEqualTo(0x88); // FIN + close
            assertThat(len).isGreaterThanOrEqualTo(2);
            assertThat(in.read() << 8 | in.read()).isEqualTo(1007);
        }
    }

    @Test
    void aClientThatNeverReadsIsDroppedAndItsRoomTold() throws Exception {
        start(SignalingConfig.builder().rateLimit(10_000, 10_000).build());
        WsClient sender = client().join("r", "sender");
        sender.joined();
        try (Socket raw = new Socket(LOOPBACK, server.port())) {
            raw.setSoTimeout(10_000);
            raw.setReceiveBufferSize(4096);
            OutputStream out = raw.getOutputStream();
            out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = raw.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int ch = in.read();
                assertThat(ch).isNotNegative();
                head.append((char) ch);
            }
            out.write(maskedText("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"slow\"}"));
            out.flush();
            sender.next("peer_joined");
            // 60 KiB offers until the server gives up on the reader (1 MiB queued + socket buffers), bounded
            String offer = "{\"type\":\"offer\",\"target\":\"slow\",\"offer\":{\"sdp\":\"" + "v".repeat(60_000) + "\"}}";
            JsonNode left = null;
            for (int i = 0; i < 2000 && left == null; i++) {
                sender.send(offer);
                left = sender.received.poll();
            }
            if (left == null) {
                left = sender.next();
            }
            assertThat(left).hasToString("{\"type\":\"peer_left\",\"peer_id\":\"slow\"}");
        }
    }

    @Test
    void reconnectWithResume() throws Exception {
        start(SignalingConfig.builder().resumeGrace(Duration.ofSeconds(30)).build());
        WsClient a = client().send("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"resumable\":true}");
        String token = a.joined().get("resume_token").asText();
        WsClient b = client().join("r", "bob");
        b.joined();
        a.next("peer_joined");
        a.ws.abort(); // network blip
        // what was already written to the dead socket is lost (TCP); resume holds what comes after the server
        // noticed, so wait (bounded) until it has
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().connections() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(server.stats().connections()).isEqualTo(1);
        b.send("{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{\"sdp\":\"v=0\"}}");
        WsClient again = client().send("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"resumable\":true,"
                + "\"resume_token\":\"" + token + "\"}");
        JsonNode peers = again.joined();
        assertThat(peers.get("resumed").asBoolean()).isTrue();
        assertThat(again.next()).hasToString("{\"type\":\"offer\",\"from\":\"bob\",\"offer\":{\"sdp\":\"v=0\"}}");
        // bob saw neither peer_left nor peer_joined: his next message is the pong to this ping
        b.send("{\"type\":\"ping\"}");
        b.next("pong");
    }

    /** A client-to-server text frame (RFC 6455 §5.3: clients mask), payload < 126 bytes. */
    private static byte[] maskedText(String s) {
        return maskedText(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] maskedText(byte[] p) {
        byte[] mask = {1, 2, 3, 4};
        byte[] f = new byte[6 + p.length];
        f[0] = (byte) 0x81;
        f[1] = (byte) (0x80 | p.length);
        System.arraycopy(mask, 0, f, 2, 4);
        for (int i = 0; i < p.length; i++) {
            f[6 + i] = (byte) (p[i] ^ mask[i % 4]);
        }
        return f;
    }

    private static final class ByteCollector {
        private byte[] data = new byte[0];

        void add(byte[] b, int n) {
            byte[] d = java.util.Arrays.copyOf(data, data.length + n);
            System.arraycopy(b, 0, d, data.length, n);
            data = d;
        }

        byte[] bytes() {
            return data;
        }
    }

    @SuppressWarnings("unused")
    private static void ignore(IOException e) {}
}
