package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.ice.IceAgentConfig;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A shared-port server agent set on one socket, with several real client drivers on loopback. */
class IceUdpMuxTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void severalClientsReachTheirOwnAgentOnOneSharedPort() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (IceUdpMux mux = IceUdpMux.start(IceUdpMuxConfig.defaults(new InetSocketAddress(lo, 0)))) {
            int n = 4;
            List<IceConnection> servers = new ArrayList<>();
            List<TestPeer> serverPeers = new ArrayList<>();
            List<IceUdpDriver> clients = new ArrayList<>();
            List<TestPeer> clientPeers = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    TestPeer sp = new TestPeer();
                    TestPeer cp = new TestPeer();
                    IceConnection server = mux.addAgent(IceAgentConfig.defaults(IceRole.CONTROLLED),
                            IceCredentials.random(random), sp);
                    IceUdpDriver client = IceUdpDriver.start(IceUdpConfig.builder(IceRole.CONTROLLING).hostAddress(lo).build(), cp);
                    servers.add(server);
                    serverPeers.add(sp);
                    clients.add(client);
                    clientPeers.add(cp);
                    server.setRemoteCredentials(client.localCredentials());
                    client.setRemoteCredentials(server.localCredentials());
                    sp.signalTo(client);
                    cp.signalTo(server);
                }
                assertThat(mux.agentCount()).isEqualTo(n);
                TestPeer.await("all nominated", WAIT, () -> java.util.stream.IntStream.range(0, n)
                        .allMatch(i -> TestPeer.nominated(clients.get(i), servers.get(i))));
                for (int i = 0; i < n; i++) {
                    assertThat(serverPeers.get(i).gathered()).singleElement()
                            .satisfies(c -> assertThat(c.socketAddress()).contains(mux.localAddress()));
                    byte[] up = {(byte) 0x80, 96, 0, (byte) i, 0, 0, 0, 0, 0, 0, 0, 1, (byte) i};
                    TestPeer.Received atServer = TestPeer.exchange(clients.get(i), serverPeers.get(i), up, WAIT);
                    assertThat(atServer.remote()).isEqualTo(clients.get(i).hostAddresses().getFirst());
                    byte[] down = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, (byte) i};
                    TestPeer.Received atClient = TestPeer.exchange(servers.get(i), clientPeers.get(i), down, WAIT);
                    assertThat(atClient.remote()).isEqualTo(mux.localAddress());
                }
                // nobody got another client's datagrams
                for (int i = 0; i < n; i++) {
                    int own = i;
                    assertThat(serverPeers.get(i).datagrams).allMatch(r -> r.data()[r.data().length - 1] == own);
                }
                assertThat(mux.stats().sourceTableSize()).isBetween(n, 2 * n);
                assertThat(mux.stats().listenerErrors()).isZero();

                servers.getFirst().close();
                TestPeer.await("agent removed", WAIT, () -> mux.agentCount() == n - 1);
                TestPeer.await("its 5-tuples forgotten", WAIT, () -> mux.stats().sourceTableSize() < n);
            } finally {
                clients.forEach(IceUdpDriver::close);
            }
        }
    }

    @Test
    void duplicateUfragIsRefusedAndCloseEndsEverything() throws Exception {
        IceUdpMux mux = IceUdpMux.start(IceUdpMuxConfig.defaults(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
        IceCredentials creds = IceCredentials.random(new SplittableRandom(3));
        IceConnection one = mux.addAgent(IceAgentConfig.defaults(IceRole.CONTROLLED), creds, e -> {});
        assertThatThrownBy(() -> mux.addAgent(IceAgentConfig.defaults(IceRole.CONTROLLED), creds, e -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        InetSocketAddress bound = mux.localAddress();
        mux.close();
        assertThat(mux.isRunning()).isFalse();
        assertThat(one.state()).isEqualTo(io.rtc4j.ice.IceConnectionState.CLOSED);
        assertThat(mux.agentCount()).isZero();
        try (var again = java.nio.channels.DatagramChannel.open()) {
            again.bind(bound);
        }
        assertThatThrownBy(() -> mux.addAgent(IceAgentConfig.defaults(IceRole.CONTROLLED), creds, e -> {}))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void recipientUfragIsReadFromTheUsernameOfBindingRequestsOnly() {
        TransactionId tid = TransactionId.random(new SplittableRandom(1));
        byte[] req = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, tid).add(new Username("srv1:cli2")).build(),
                StunProtection.FINGERPRINT);
        assertThat(IceUdpMux.recipientUfrag(ByteBuffer.wrap(req))).isEqualTo("srv1");
        byte[] noColon = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, tid).add(new Username("srv1")).build(),
                StunProtection.NONE);
        assertThat(IceUdpMux.recipientUfrag(ByteBuffer.wrap(noColon))).isNull();
        byte[] response = StunCodec.encode(StunMessage.builder(MessageType.BINDING_SUCCESS, tid).add(new Username("srv1:x")).build(),
                StunProtection.NONE);
        assertThat(IceUdpMux.recipientUfrag(ByteBuffer.wrap(response))).isNull();
        byte[] truncated = java.util.Arrays.copyOf(req, req.length - 9);
        assertThat(IceUdpMux.recipientUfrag(ByteBuffer.wrap(truncated))).isNull();
        assertThat(IceUdpMux.recipientUfrag(ByteBuffer.wrap(new byte[] {0, 1, 0}))).isNull();
    }

    @Test
    void sourceTableIsBoundedAndExpires() {
        SourceTable<String> t = new SourceTable<>(3, Duration.ofSeconds(10));
        java.time.Instant t0 = java.time.Instant.parse("2026-01-01T00:00:00Z");
        for (int port = 1; port <= 5; port++) {
            t.put(new InetSocketAddress("127.0.0.1", port), "s" + port, t0);
        }
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.evicted()).isEqualTo(2);
        assertThat(t.get(new InetSocketAddress("127.0.0.1", 1), t0)).isNull(); // evicted first
        assertThat(t.get(new InetSocketAddress("127.0.0.1", 3), t0.plusSeconds(5))).isEqualTo("s3"); // refreshed
        t.expire(t0.plusSeconds(12));
        assertThat(t.size()).isEqualTo(1);
        assertThat(t.get(new InetSocketAddress("127.0.0.1", 3), t0.plusSeconds(14))).isEqualTo("s3");
        assertThat(t.get(new InetSocketAddress("127.0.0.1", 3), t0.plusSeconds(30))).isNull();
    }
}
