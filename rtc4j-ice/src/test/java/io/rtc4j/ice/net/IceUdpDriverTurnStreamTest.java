package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.CandidateType;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceRole;
import io.rtc4j.stun.PacketKind;
import io.rtc4j.testkit.proc.CoturnServer;
import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.SelfSignedCertificate;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.net.TurnServer;
import io.rtc4j.turn.net.TurnServerSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two real drivers, relay-only, whose relayed candidates come from TURN over TCP and TLS (RFC 8656 §3.1) on
 * loopback: rtc4j's TURN server in-process and coturn as a process, each with the testkit's self-signed
 * certificate (the client trusts only it and checks its IP SAN). Also what goes wrong: the server closing the
 * connection mid-call, a TLS handshake nobody answers, a refused connection, a certificate we do not trust.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IceUdpDriverTurnStreamTest {
    static final String USER = "alice";
    static final String PASSWORD = "alice-secret";
    static final String REALM = "rtc4j.test";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final InetAddress LO = InetAddress.getLoopbackAddress();

    TestTls tls;
    TurnServer rtc4j;
    CoturnServer coturn;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir.resolve("tls"));
        tls = TestTls.of(cert);
        rtc4j = startRtc4j();
        if (CoturnServer.isInstalled()) {
            coturn = CoturnServer.builder().realm(REALM).user(USER, PASSWORD).allowedPeerIp("127.0.0.1").tls(cert).start();
            coturn.awaitTcpListeners(WAIT);
        }
    }

    @AfterAll
    void stop() {
        if (rtc4j != null) {
            rtc4j.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    TurnServer startRtc4j() throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 5; attempt++) { // a free port can be taken before the server binds it
            try {
                FreePorts.PortRange relays = FreePorts.relayRange(100);
                return TurnServer.start(new TurnServerSettings(List.of(LO), FreePorts.udpAndTcp(), FreePorts.udpAndTcp(), LO,
                                null, null, relays.min(), relays.max(), 1, 1 << 20),
                        TurnServerConfig.defaults(REALM), new StaticUserAuthenticator(Map.of(USER, PASSWORD)),
                        DefaultPeerAddressPolicy.builder().allow("127.0.0.0/8").build(), QuotaPolicy.unlimited(),
                        tls.server(), new TurnMetrics());
            } catch (java.io.IOException e) {
                last = e;
            }
        }
        throw last;
    }

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("rtc4j", TransportProtocol.TCP), Arguments.of("rtc4j", TransportProtocol.TLS),
                Arguments.of("coturn", TransportProtocol.TCP), Arguments.of("coturn", TransportProtocol.TLS));
    }

    InetSocketAddress address(TurnServer s, TransportProtocol t) {
        return t == TransportProtocol.TLS ? s.tlsAddresses().getFirst() : s.tcpAddresses().getFirst();
    }

    InetSocketAddress address(String server, TransportProtocol t) {
        if (server.equals("rtc4j")) {
            return address(rtc4j, t);
        }
        assumeTrue(coturn != null, "coturn's turnserver is not installed");
        return t == TransportProtocol.TLS
                ? new InetSocketAddress(coturn.options().listeningAddress(), coturn.tlsListeningPort().orElseThrow())
                : coturn.listeningAddress();
    }

    IceUdpConfig.TurnServerEntry entry(InetSocketAddress server, TransportProtocol t) {
        TurnClientConfig client = TurnClientConfig.builder(USER, PASSWORD).transport(t).build();
        return t == TransportProtocol.TLS
                ? IceUdpConfig.TurnServerEntry.tls(server, client, tls.client(), "127.0.0.1")
                : new IceUdpConfig.TurnServerEntry(server, client);
    }

    static IceUdpConfig config(IceRole role, IceUdpConfig.TurnServerEntry turn) {
        return IceUdpConfig.builder(role).hostAddress(LO).relayOnly(true).turnServer(turn).build();
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("servers")
    void relayOnlyCallOverAStreamCarriesDatagramsBothWays(String server, TransportProtocol t) throws Exception {
        List<IceCandidate> relayed = call(entry(address(server, t), t), server.equals("rtc4j") ? rtc4j.metrics() : null);
        if (server.equals("coturn")) { // the relayed addresses are coturn's: the data went through it
            assertThat(relayed).allMatch(c -> c.port() >= coturn.relayPorts().min() && c.port() <= coturn.relayPorts().max());
        }
    }

    @ParameterizedTest
    @EnumSource(value = TransportProtocol.class, names = {"TCP", "TLS"})
    void recordsAndFramesCutIntoTinySegmentsStillCarryTheCall(TransportProtocol t) throws Exception {
        // every read sees part of a TLS record or TURN frame: BUFFER_UNDERFLOW and stream reassembly at work
        try (ChunkingProxy proxy = new ChunkingProxy(address(rtc4j, t))) {
            call(entry(proxy.address(), t), rtc4j.metrics());
        }
    }

    /** A relay-only call through {@code turn}: nominated, datagrams both ways, a burst; the server relayed them. */
    List<IceCandidate> call(IceUdpConfig.TurnServerEntry turn, TurnMetrics metrics) throws Exception {
        TransportProtocol t = turn.transport();
        long allocationsBefore = metrics != null ? metrics.allocationsActive() : 0;
        TestPeer pa = new TestPeer();
        TestPeer pb = new TestPeer();
        IceConnection[] c = IceUdpDriverTest.connect(config(IceRole.CONTROLLING, turn), pa, config(IceRole.CONTROLLED, turn), pb);
        IceUdpDriver a = (IceUdpDriver) c[0];
        IceUdpDriver b = (IceUdpDriver) c[1];
        try (a; b) {
            TestPeer.awaitNominated(a, pa, b, pb, WAIT);
            int localPreference = t == TransportProtocol.TCP ? 32767 : 16383; // RFC 8445 §5.1.2.1: UDP > TCP > TLS
            for (TestPeer p : new TestPeer[] {pa, pb}) {
                assertThat(p.gathered()).hasSize(1).allMatch(x -> x.type() == CandidateType.RELAYED
                        && (x.priority() >> 8 & 0xFFFF) == localPreference);
                assertThat(p.events).noneMatch(e -> e instanceof IceDriverEvent.RelayFailed);
            }
            CandidatePair pair = a.selectedPair().orElseThrow();
            assertThat(pair.local().candidate().type()).isEqualTo(CandidateType.RELAYED);
            IceCandidate bRelayed = pb.gathered().getFirst();
            assertThat(pair.remote().socketAddress()).isEqualTo(bRelayed.socketAddress());

            long toPeer = metrics != null ? metrics.packetsToPeer() : 0;
            long toClient = metrics != null ? metrics.packetsToClient() : 0;
            for (int i = 0; i < 10; i++) { // odd and even sizes: ChannelData is padded to 4 on streams (§12.5)
                byte[] rtp = new byte[12 + i];
                rtp[0] = (byte) 0x80;
                rtp[11] = (byte) i;
                TestPeer.Received atB = TestPeer.exchange(a, pb, rtp, WAIT);
                assertThat(atB.kind()).isEqualTo(PacketKind.RTP_RTCP);
                assertThat(atB.local()).isEqualTo(bRelayed.socketAddress().orElseThrow()); // through B's relay
                byte[] dtls = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, (byte) i, 0, 1, 5};
                TestPeer.Received atA = TestPeer.exchange(b, pa, dtls, WAIT);
                assertThat(atA.kind()).isEqualTo(PacketKind.DTLS);
                assertThat(atA.remote()).isEqualTo(bRelayed.socketAddress().orElseThrow());
            }
            // bursts of full-size datagrams: many frames (and TLS records) per read, split across reads; the
            // UDP hop between the two relays may lose some (coturn does, under a burst), so resend what is missing
            java.util.Set<Integer> burst = new java.util.HashSet<>();
            for (int round = 0; burst.size() < 50; round++) {
                assertThat(round).as("bursts sent, datagrams arrived: %s", burst.size()).isLessThan(40);
                for (int i = 0; i < 50; i++) {
                    if (!burst.contains(i)) {
                        byte[] big = new byte[1100];
                        big[0] = (byte) 0x80;
                        big[1] = 97; // payload type 97 marks the burst
                        big[2] = (byte) i;
                        assertThat(a.send(java.nio.ByteBuffer.wrap(big))).isTrue();
                    }
                }
                long end = System.nanoTime() + 500_000_000L;
                while (burst.size() < 50 && System.nanoTime() < end) {
                    TestPeer.Received r = pb.datagrams.poll(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (r != null && r.data().length == 1100 && r.data()[1] == 97) {
                        burst.add((int) r.data()[2]);
                    }
                }
            }
            if (metrics != null) { // coturn's counters are not reachable from here: its relayed address is the proof
                assertThat(metrics.packetsToPeer()).isGreaterThanOrEqualTo(toPeer + 70);
                assertThat(metrics.packetsToClient()).isGreaterThanOrEqualTo(toClient + 70);
            }
            for (IceUdpDriver d : new IceUdpDriver[] {a, b}) {
                assertThat(d.stats().listenerErrors()).isZero();
                assertThat(d.stats().sendFailures()).isZero(); // nothing was dropped on our side of the stream
                assertThat(d.stats().droppedMalformed()).isZero();
                assertThat(d.stats().droppedUnrouted()).isZero();
            }
        }
        assertThat(a.isRunning()).isFalse();
        assertThat(b.isRunning()).isFalse();
        if (metrics != null) { // the connections are closed: the server deleted both allocations (RFC 8656 §3.1)
            TestPeer.await("the allocations' end", WAIT, () -> metrics.allocationsActive() == allocationsBefore);
        }
        return List.of(pa.gathered().getFirst(), pb.gathered().getFirst());
    }

    @ParameterizedTest
    @EnumSource(value = TransportProtocol.class, names = {"TCP", "TLS"})
    void aServerClosingTheConnectionMidCallEndsTheRelayWithAnEvent(TransportProtocol t) throws Exception {
        TurnServer own = startRtc4j();
        try {
            IceUdpConfig.TurnServerEntry turn = entry(address(own, t), t);
            TestPeer pa = new TestPeer();
            TestPeer pb = new TestPeer();
            IceConnection[] c = IceUdpDriverTest.connect(config(IceRole.CONTROLLING, turn), pa, config(IceRole.CONTROLLED, turn), pb);
            IceUdpDriver a = (IceUdpDriver) c[0];
            IceUdpDriver b = (IceUdpDriver) c[1];
            try (a; b) {
                TestPeer.awaitNominated(a, pa, b, pb, WAIT);
                TestPeer.exchange(a, pb, new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, WAIT);

                own.close(); // deletes the allocations and closes the connections under the call
                for (TestPeer p : new TestPeer[] {pa, pb}) {
                    TestPeer.await("RelayFailed", WAIT, () -> p.events.stream().anyMatch(
                            e -> e instanceof IceDriverEvent.RelayFailed f && f.reason().contains("CONNECTION_CLOSED")));
                }
                // the relay is gone: sending is refused or counted, nothing throws, the threads keep running
                for (int i = 0; i < 20; i++) {
                    a.send(java.nio.ByteBuffer.wrap(new byte[] {(byte) 0x80, 96, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2}));
                }
                assertThat(a.isRunning()).isTrue();
                assertThat(b.isRunning()).isTrue();
                assertThat(a.stats().listenerErrors()).isZero();
                assertThat(b.stats().listenerErrors()).isZero();
            }
            assertThat(a.isRunning()).isFalse();
            assertThat(b.isRunning()).isFalse();
        } finally {
            own.close();
        }
    }

    @Test
    void relaysOverUdpTcpAndTlsRankInThatOrderAndTheUdpOneCarriesTheCall() throws Exception {
        TurnClientConfig udp = TurnClientConfig.builder(USER, PASSWORD).build();
        IceUdpConfig.Builder[] builders = {IceUdpConfig.builder(IceRole.CONTROLLING), IceUdpConfig.builder(IceRole.CONTROLLED)};
        for (IceUdpConfig.Builder builder : builders) {
            builder.hostAddress(LO).relayOnly(true).turnServer(entry(address(rtc4j, TransportProtocol.TLS), TransportProtocol.TLS))
                    .turnServer(entry(address(rtc4j, TransportProtocol.TCP), TransportProtocol.TCP))
                    .turnServer(rtc4j.udpAddresses().getFirst(), udp);
        }
        TestPeer pa = new TestPeer();
        TestPeer pb = new TestPeer();
        try (IceUdpDriver a = IceUdpDriver.start(builders[0].build(), pa); IceUdpDriver b = IceUdpDriver.start(builders[1].build(), pb)) {
            // signal only once both gathered everything, so that every pair exists before the first check and
            // nomination picks by priority, not by which relay happened to be allocated first
            for (TestPeer p : new TestPeer[] {pa, pb}) {
                TestPeer.await("GatheringCompleted", WAIT, () -> p.events.contains(new IceDriverEvent.GatheringCompleted()));
            }
            assertThat(pa.gathered()).hasSize(3);
            assertThat(pb.gathered()).hasSize(3);
            a.setRemoteCredentials(b.localCredentials());
            b.setRemoteCredentials(a.localCredentials());
            pa.signalTo(b);
            pb.signalTo(a);
            TestPeer.awaitNominated(a, pa, b, pb, WAIT);
            // RFC 8445 §5.1.2.1 local preference by the client's transport to the server: UDP > TCP > TLS
            assertThat(pa.gathered().stream().map(x -> x.priority() >> 8 & 0xFFFF).sorted().toList())
                    .containsExactly(16383L, 32767L, 65535L);
            assertThat(a.selectedPair().orElseThrow().local().candidate().priority() >> 8 & 0xFFFF).isEqualTo(65535L);
            TestPeer.exchange(a, pb, new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1}, WAIT);
        }
    }

    @Test
    void aTlsHandshakeNobodyAnswersTimesOut() throws Exception {
        // the kernel completes the TCP handshake from the backlog; nothing ever reads the ClientHello
        try (ServerSocket silent = new ServerSocket(0, 1, LO)) {
            InetSocketAddress server = (InetSocketAddress) silent.getLocalSocketAddress();
            IceUdpConfig.TurnServerEntry turn = entry(server, TransportProtocol.TLS).withConnectTimeout(Duration.ofSeconds(1));
            IceDriverEvent.RelayFailed f = failure(turn);
            assertThat(f.server()).isEqualTo(server);
            assertThat(f.reason()).contains("CONNECTION_CLOSED").contains("TLS handshake timed out");
        }
    }

    @Test
    void aRefusedConnectionFailsTheRelay() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket s = new ServerSocket(0, 1, LO)) {
            closed = (InetSocketAddress) s.getLocalSocketAddress(); // nothing listens there once closed
        }
        IceDriverEvent.RelayFailed f = failure(entry(closed, TransportProtocol.TCP));
        assertThat(f.reason()).contains("CONNECTION_CLOSED").contains("ConnectException");
    }

    @Test
    void aCertificateWeDoNotTrustFailsTheRelay() throws Exception {
        TurnClientConfig client = TurnClientConfig.builder(USER, PASSWORD).transport(TransportProtocol.TLS).build();
        // the JDK's default trust store does not know the self-signed test certificate
        IceDriverEvent.RelayFailed f = failure(new IceUdpConfig.TurnServerEntry(address(rtc4j, TransportProtocol.TLS), client));
        assertThat(f.reason()).contains("CONNECTION_CLOSED").contains("SSLHandshakeException");
        // the right trust but a name the certificate does not carry (RFC 6125): refused as well
        IceDriverEvent.RelayFailed g = failure(IceUdpConfig.TurnServerEntry.tls(address(rtc4j, TransportProtocol.TLS),
                client, tls.client(), "turn.example.org"));
        assertThat(g.reason()).contains("SSLHandshakeException");
    }

    /** Starts one relay-only driver and waits for its relay to fail and gathering to complete. */
    static IceDriverEvent.RelayFailed failure(IceUdpConfig.TurnServerEntry turn) throws Exception {
        TestPeer p = new TestPeer();
        try (IceUdpDriver d = IceUdpDriver.start(config(IceRole.CONTROLLING, turn), p)) {
            TestPeer.await("GatheringCompleted", WAIT, () -> p.events.contains(new IceDriverEvent.GatheringCompleted()));
            assertThat(p.gathered()).isEmpty();
            assertThat(d.stats().listenerErrors()).isZero();
            return p.events.stream().filter(e -> e instanceof IceDriverEvent.RelayFailed)
                    .map(e -> (IceDriverEvent.RelayFailed) e).findFirst().orElseThrow();
        }
    }

}
