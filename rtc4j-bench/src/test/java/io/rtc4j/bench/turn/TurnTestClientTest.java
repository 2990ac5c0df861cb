package io.rtc4j.bench.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.proc.CoturnServer;
import io.rtc4j.testkit.proc.TurnServerProcess;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bench's TURN client against coturn: the flows the load tool depends on. */
class TurnTestClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static TurnServerProcess coturn;
    private final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(7);

    @BeforeAll
    static void startCoturn() {
        coturn = CoturnServer.builder()
                .realm("bench.test")
                .user("alice", "secret")
                .allowedPeerIp("127.0.0.1")
                .start();
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void allocatesRelaysBothWaysAndReleases() throws Exception {
        try (TurnTestClient client = new TurnTestClient(coturn.listeningAddress(), "alice", "secret", random, TIMEOUT);
                DatagramChannel peer = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress relayed = client.allocate();
            assertThat(relayed.getAddress().isLoopbackAddress()).isTrue();
            assertThat(coturn.relayPorts().contains(relayed.getPort())).isTrue();
            assertThat(client.mappedAddress()).isEqualTo(client.localAddress());
            assertThat(client.lifetimeSeconds()).isPositive();
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalAddress();

            // Send indication out, plain UDP back: arrives as a Data indication
            client.createPermission(peerAddress);
            client.channel().write(ByteBuffer.wrap(client.encodeSendIndication(peerAddress, bytes("via send"))));
            assertThat(receive(peer)).isEqualTo("via send");
            peer.send(ByteBuffer.wrap(bytes("data back")), relayed);
            assertThat(new String(client.receiveData(TIMEOUT))).isEqualTo("data back");

            // ChannelData out and back
            client.channelBind(0x4000, peerAddress);
            client.channel().write(ByteBuffer.wrap(ChannelDataFrame.encode(0x4000, bytes("via channel"))));
            assertThat(receive(peer)).isEqualTo("via channel");
            peer.send(ByteBuffer.wrap(bytes("channel back")), relayed);
            assertThat(new String(client.receiveData(TIMEOUT))).isEqualTo("channel back");

            assertThat(client.refresh(300)).isPositive(); // coturn grants at least its default (600 s)
            client.release();
            assertThat(client.relayedAddress()).isNull();
            client.release(); // idempotent
        }
    }

    @Test
    void wrongPasswordIsRefusedWith401() throws Exception {
        try (TurnTestClient client = new TurnTestClient(coturn.listeningAddress(), "alice", "wrong", random, TIMEOUT)) {
            assertThatThrownBy(client::allocate)
                    .isInstanceOfSatisfying(TurnErrorException.class, e -> assertThat(e.code()).isEqualTo(401));
        }
    }

    @Test
    void openAllocatedGivesEachClientItsOwnRelay() throws Exception {
        try (TurnTestClient a = TurnTestClient.openAllocated(coturn.listeningAddress(), "alice", "secret", random, TIMEOUT, 3);
                TurnTestClient b = TurnTestClient.openAllocated(coturn.listeningAddress(), "alice", "secret", random, TIMEOUT, 3)) {
            assertThat(a.relayedAddress()).isNotEqualTo(b.relayedAddress());
            a.release();
            b.release();
        }
    }

    @Test
    void bindingAnswersWithTheMappedAddress() throws Exception {
        try (TurnTestClient client = new TurnTestClient(coturn.listeningAddress(), "alice", "secret", random, TIMEOUT)) {
            assertThat(client.binding()).isEqualTo(client.localAddress());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String receive(DatagramChannel peer) throws Exception {
        peer.configureBlocking(true);
        peer.socket().setSoTimeout((int) TIMEOUT.toMillis());
        java.net.DatagramPacket p = new java.net.DatagramPacket(new byte[2048], 2048);
        peer.socket().receive(p);
        return new String(p.getData(), 0, p.getLength(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
