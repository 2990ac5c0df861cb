package io.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunIntegrity;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import io.rtc4j.stun.XorRelayedAddress;
import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.Probes;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code rtc4j server} as a process: it starts, answers /health and the web app, joins over /ws with a token
 * from {@code rtc4j token}, hands out TURN credentials that its own TURN server accepts for an Allocate, answers
 * STUN on the TURN port, and stops cleanly on SIGTERM.
 */
class ServerCommandProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String SECRET = "process-test-token-secret";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void serverEndToEnd() throws Exception {
        List<Integer> ports = FreePorts.udpAndTcp(3);
        int httpPort = ports.get(0);
        int turnPort = ports.get(1);
        FreePorts.PortRange relay = FreePorts.relayRange(16);
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", cp,
                "io.rtc4j.server.Main", "server", "--http-port", "" + httpPort, "-L", "127.0.0.1",
                "-p", "" + turnPort, "--tls-listening-port", "" + ports.get(2),
                "--min-port", "" + relay.min(), "--max-port", "" + relay.max(),
                "--token-secret", SECRET, "--api-key", "process-test-api-key"));
        try (ManagedProcess server = ManagedProcess.builder(cmd).name("rtc4j-server").logToTargetDir().start();
                HttpClient http = HttpClient.newHttpClient()) {
            server.awaitOutput(Pattern.compile("event=server_ready"), BOUND);
            assertThat(server.output()).contains("event=turn_local_peers_allowed");

            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).startsWith("{\"status\":\"ok\"");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + httpPort + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");

            assertThat(Probes.stunBindingAnswered(new InetSocketAddress("127.0.0.1", turnPort), Duration.ofSeconds(10), server::isAlive))
                    .isTrue();

            // ./rtc4j token, in process
            StringWriter out = new StringWriter();
            int rc = new CommandLine(new TokenCommand()).setOut(new PrintWriter(out))
                    .execute("--secret", SECRET, "--room", "demo", "--peer", "alice", "--ttl", "60");
            assertThat(rc).isZero();
            String token = out.toString().strip();

            LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + httpPort + "/ws"), new WebSocket.Listener() {
                final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                    text.append(data);
                    if (last) {
                        try {
                            inbox.add(json.readTree(text.toString()));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        text.setLength(0);
                    }
                    w.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"join\",\"room_id\":\"demo\",\"peer_id\":\"alice\"}", true).get(10, TimeUnit.SECONDS);
            assertThat(poll(inbox).get("code").asText()).isEqualTo("token_required");
            ws.sendText("{\"type\":\"join\",\"room_id\":\"demo\",\"peer_id\":\"alice\",\"token\":\"" + token + "\"}", true)
                    .get(10, TimeUnit.SECONDS);
            JsonNode ice = poll(inbox);
            assertThat(ice.get("type").asText()).isEqualTo("ice_servers");
            assertThat(poll(inbox).get("type").asText()).isEqualTo("room_peers");
            JsonNode turn = ice.get("ice_servers").get(1);
            assertThat(ice.get("ice_servers").get(0).get("urls").get(0).asText()).isEqualTo("stun:127.0.0.1:" + turnPort);
            assertThat(turn.get("urls").get(0).asText()).isEqualTo("turn:127.0.0.1:" + turnPort + "?transport=udp");
            assertThat(turn.get("username").asText()).endsWith(":alice");

            InetSocketAddress relayed = allocate(new InetSocketAddress("127.0.0.1", turnPort),
                    turn.get("username").asText(), turn.get("credential").asText());
            assertThat(relayed.getPort()).isBetween(relay.min(), relay.max());

            // POST /token with the API key mints a token the server accepts (checked in rtc4j-signaling's tests)
            HttpResponse<String> minted = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/token"))
                    .header("Authorization", "Bearer process-test-api-key")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"demo\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(minted.statusCode()).isEqualTo(200);
            ws.abort();

            ProcessHandle.of(server.pid()).orElseThrow().destroy(); // SIGTERM
            assertThat(server.waitFor(Duration.ofSeconds(20))).isTrue();
            assertThat(server.output()).contains("event=signaling_stopped");
        }
    }

    private static JsonNode poll(LinkedBlockingQueue<JsonNode> q) throws InterruptedException {
        JsonNode m = q.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a message within 10 s").isNotNull();
        return m;
    }

    /** RFC 8656 §7.1-7.3 Allocate with long-term credentials: 401 with realm and nonce, then success. */
    private static InetSocketAddress allocate(InetSocketAddress server, String user, String password) throws Exception {
        Random random = new Random(7);
        MessageType allocateRequest = new MessageType(StunMethod.ALLOCATE, StunClass.REQUEST);
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.setSoTimeout(2000);
            StunMessage first = exchange(s, server, StunMessage.builder(allocateRequest, TransactionId.random(random))
                    .add(new RequestedTransport(17)).build(), StunProtection.NONE);
            assertThat(first.get(ErrorCode.class).orElseThrow().code()).isEqualTo(401);
            String realm = first.get(Realm.class).orElseThrow().value();
            String nonce = first.get(Nonce.class).orElseThrow().value();
            StunMessage ok = exchange(s, server, StunMessage.builder(allocateRequest, TransactionId.random(random))
                    .add(new RequestedTransport(17)).add(new Username(user)).add(new Realm(realm)).add(new Nonce(nonce)).build(),
                    StunProtection.integrity(StunIntegrity.longTermKey(user, realm, password)));
            assertThat(ok.messageClass()).as(ok.toString()).isEqualTo(StunClass.SUCCESS_RESPONSE);
            return ok.get(XorRelayedAddress.class).orElseThrow().address();
        }
    }

    private static StunMessage exchange(DatagramSocket s, InetSocketAddress server, StunMessage request, StunProtection p)
            throws Exception {
        byte[] bytes = StunCodec.encode(request, p);
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt < 5; attempt++) {
            s.send(new DatagramPacket(bytes, bytes.length, server));
            try {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                s.receive(in);
                StunMessage m = StunCodec.decode(ByteBuffer.wrap(buf, 0, in.getLength()));
                if (m.transactionId().equals(request.transactionId())) {
                    return m;
                }
            } catch (java.net.SocketTimeoutException retry) {
                // RFC 8489 §6.2.1: retransmit
            }
        }
        throw new AssertionError("no answer from " + server);
    }
}
