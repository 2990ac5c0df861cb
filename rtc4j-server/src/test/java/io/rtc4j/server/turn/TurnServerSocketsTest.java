package io.rtc4j.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.testkit.proc.FreePorts;
import java.io.DataInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The real driver on loopback: STUN Binding over UDP and TCP, IPv4 and IPv6, and the metrics endpoint. */
class TurnServerSocketsTest {
    private static TurnCommand.RunningTurn server;
    private static int port;
    private static int metricsPort;
    private final SplittableRandom random = new SplittableRandom(1);

    @BeforeAll
    static void start() throws Exception {
        port = FreePorts.udpAndTcp();
        metricsPort = FreePorts.udpAndTcp();
        TurnCommand cmd = new TurnCommand();
        new CommandLine(cmd).parseArgs(
                "--listening-ip", "127.0.0.1", "--listening-ip", "::1", "--listening-port", String.valueOf(port),
                "--no-tls", "--user", "alice:pw", "--min-port", "41000", "--max-port", "41100",
                "--prometheus", "--prometheus-port", String.valueOf(metricsPort));
        server = cmd.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private StunMessage bindingRequest() {
        return StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(random)).build();
    }

    @Test
    void bindingOverUdpV4AndV6() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            InetAddress server = InetAddress.getByName(host);
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(server, 0))) {
                s.setSoTimeout(5000);
                StunMessage req = bindingRequest();
                byte[] wire = StunCodec.encode(req, StunProtection.FINGERPRINT);
                s.send(new DatagramPacket(wire, wire.length, new InetSocketAddress(server, port)));
                DatagramPacket p = new DatagramPacket(new byte[1500], 1500);
                s.receive(p);
                StunMessage res = StunCodec.decode(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
                assertThat(res.type()).isEqualTo(MessageType.BINDING_SUCCESS);
                assertThat(res.transactionId()).isEqualTo(req.transactionId());
                assertThat(res.get(XorMappedAddress.class).orElseThrow().address())
                        .isEqualTo(s.getLocalSocketAddress());
            }
        }
    }

    @Test
    void bindingOverTcpV4AndV6() throws Exception {
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            try (Socket s = new Socket(InetAddress.getByName(host), port)) {
                s.setSoTimeout(5000);
                StunMessage req = bindingRequest();
                // two requests in one write: the server must frame the stream
                byte[] one = StunCodec.encode(req, StunProtection.NONE);
                byte[] both = new byte[one.length * 2];
                System.arraycopy(one, 0, both, 0, one.length);
                System.arraycopy(one, 0, both, one.length, one.length);
                s.getOutputStream().write(both);
                DataInputStream in = new DataInputStream(s.getInputStream());
                for (int i = 0; i < 2; i++) {
                    byte[] header = new byte[20];
                    in.readFully(header);
                    int length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                    byte[] message = new byte[20 + length];
                    System.arraycopy(header, 0, message, 0, 20);
                    in.readFully(message, 20, length);
                    StunMessage res = StunCodec.decode(ByteBuffer.wrap(message));
                    assertThat(res.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
                    assertThat(res.get(XorMappedAddress.class).orElseThrow().address())
                            .isEqualTo(s.getLocalSocketAddress());
                }
            }
        }
    }

    @Test
    void prometheusMetricsAreServed() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("turn_allocations_active", "turn_relayed_packets_total", "turn_dropped_total");
    }
}
