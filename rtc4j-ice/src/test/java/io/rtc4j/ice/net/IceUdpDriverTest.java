package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.ice.CandidateType;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceRole;
import io.rtc4j.stun.PacketKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two real drivers on loopback host candidates: ICE completes, application datagrams flow both ways. */
class IceUdpDriverTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    static IceUdpConfig.Builder loopback(IceRole role, String address) throws Exception {
        return IceUdpConfig.builder(role).hostAddress(InetAddress.getByName(address));
    }

    /** Starts both, wires signaling and credentials, waits for both to complete nomination. */
    static IceConnection[] connect(IceUdpConfig a, TestPeer pa, IceUdpConfig b, TestPeer pb) throws Exception {
        IceUdpDriver da = IceUdpDriver.start(a, pa);
        IceUdpDriver db;
        try {
            db = IceUdpDriver.start(b, pb);
        } catch (Exception e) {
            da.close();
            throw e;
        }
        da.setRemoteCredentials(db.localCredentials());
        db.setRemoteCredentials(da.localCredentials());
        pa.signalTo(db);
        pb.signalTo(da);
        return new IceConnection[] {da, db};
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void hostCandidatesConnectAndCarryApplicationDatagramsBothWays(String address) throws Exception {
        TestPeer pa = new TestPeer();
        TestPeer pb = new TestPeer();
        IceConnection[] c = connect(loopback(IceRole.CONTROLLING, address).build(), pa,
                loopback(IceRole.CONTROLLED, address).build(), pb);
        try (IceConnection a = c[0]; IceConnection b = c[1]) {
            TestPeer.awaitNominated(a, pa, b, pb, WAIT);
            IceCandidate remoteOfA = a.selectedPair().orElseThrow().remote();
            // B's checks may reach A before B's trickled candidate does: then A knows it as peer-reflexive first
            assertThat(remoteOfA.type()).isIn(CandidateType.HOST, CandidateType.PEER_REFLEXIVE);
            assertThat(remoteOfA.socketAddress()).contains(((IceUdpDriver) b).hostAddresses().getFirst());
            assertThat(a.selectedPair().orElseThrow().local().candidate().type()).isEqualTo(CandidateType.HOST);
            assertThat(pa.events).contains(new IceDriverEvent.GatheringCompleted(),
                    new IceDriverEvent.StateChanged(IceConnectionState.COMPLETED));

            byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 42, 7, 7};
            TestPeer.Received atB = TestPeer.exchange(a, pb, rtp, WAIT);
            assertThat(atB.kind()).isEqualTo(PacketKind.RTP_RTCP);
            assertThat(atB.remote()).isEqualTo(((IceUdpDriver) a).hostAddresses().getFirst());
            byte[] dtls = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9};
            TestPeer.Received atA = TestPeer.exchange(b, pa, dtls, WAIT);
            assertThat(atA.kind()).isEqualTo(PacketKind.DTLS);
            assertThat(atA.local()).isEqualTo(((IceUdpDriver) a).hostAddresses().getFirst());

            IceDriverStats s = b.stats();
            assertThat(s.applicationReceived()).isGreaterThanOrEqualTo(1);
            assertThat(s.listenerErrors()).isZero();
            assertThat(s.droppedMalformed()).isZero();
        }
    }

    @Test
    void dualStackGathersOneHostCandidatePerAddressAndPrefersTheFirst() throws Exception {
        TestPeer pa = new TestPeer();
        TestPeer pb = new TestPeer();
        // Both candidates of each side are signalled together, after gathering: trickled one by one, the IPv4
        // pair could be checked and nominated before the IPv6 candidate is even known (a real race, not a bug).
        IceUdpDriver da = IceUdpDriver.start(loopback(IceRole.CONTROLLING, "::1").hostAddress(InetAddress.getByName("127.0.0.1")).build(), pa);
        IceUdpDriver db = IceUdpDriver.start(loopback(IceRole.CONTROLLED, "::1").hostAddress(InetAddress.getByName("127.0.0.1")).build(), pb);
        try (IceConnection a = da; IceConnection b = db) {
            TestPeer.await("gathering", WAIT, () -> pa.events.contains(new IceDriverEvent.GatheringCompleted())
                    && pb.events.contains(new IceDriverEvent.GatheringCompleted()));
            // ...and before either side has the other's credentials: otherwise B's checks can reach A (and make
            // its IPv4 pair valid, with nothing higher pending) before B's IPv6 candidate does (seen in CI)
            pa.signalTo(b);
            pb.signalTo(a);
            b.setRemoteCredentials(a.localCredentials());
            a.setRemoteCredentials(b.localCredentials());
            TestPeer.awaitNominated(a, pa, b, pb, WAIT);
            assertThat(((IceUdpDriver) a).hostAddresses()).hasSize(2);
            assertThat(pa.gathered()).hasSize(2).allMatch(x -> x.type() == CandidateType.HOST);
            // the first address gets the higher local preference (RFC 8445 §5.1.2.1), so the IPv6 pair wins
            assertThat(pa.gathered().getFirst().address()).contains(":");
            assertThat(a.selectedPair().orElseThrow().local().candidate().address()).contains(":");
            assertThat(a.localCandidates()).containsExactlyElementsOf(pa.gathered());
        }
    }

    @Test
    void closeReleasesSocketsAndThreadAndStopsSending() throws Exception {
        TestPeer pa = new TestPeer();
        TestPeer pb = new TestPeer();
        IceConnection[] c = connect(loopback(IceRole.CONTROLLING, "127.0.0.1").build(), pa,
                loopback(IceRole.CONTROLLED, "127.0.0.1").build(), pb);
        IceUdpDriver a = (IceUdpDriver) c[0];
        IceUdpDriver b = (IceUdpDriver) c[1];
        TestPeer.awaitNominated(a, pa, b, pb, WAIT);
        List<InetSocketAddress> bound = a.hostAddresses();
        String threadName = "rtc4j-ice-udp" + bound.getFirst();
        assertThat(liveThread(threadName)).isTrue();
        a.close();
        a.close(); // idempotent
        assertThat(a.isRunning()).isFalse();
        assertThat(liveThread(threadName)).isFalse();
        assertThat(a.state()).isEqualTo(IceConnectionState.CLOSED);
        assertThat(a.send(ByteBuffer.wrap(new byte[] {(byte) 0x80}))).isFalse();
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(bound.getFirst()); // the port is free again
        }
        b.close();
        assertThat(b.isRunning()).isFalse();
    }

    @Test
    void failedStartLeavesNoSocketOrThreadBehind() throws Exception {
        long before = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rtc4j-ice-udp")).count();
        int port;
        try (DatagramChannel probe = DatagramChannel.open()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        // 127.0.0.1 binds, then 192.0.2.1 (TEST-NET-1, not ours) cannot: nothing is sent either way
        IceUdpConfig config = loopback(IceRole.CONTROLLING, "127.0.0.1").port(port)
                .hostAddress(InetAddress.getByName("192.0.2.1")).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IceUdpDriver.start(config, new TestPeer()))
                .isInstanceOf(java.io.IOException.class);
        try (DatagramChannel again = DatagramChannel.open()) {
            again.bind(new InetSocketAddress("127.0.0.1", port)); // the first socket was closed
        }
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("rtc4j-ice-udp")).count())
                .isLessThanOrEqualTo(before);
    }

    @Test
    void configIsValidatedOnce() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IceUdpConfig.builder(IceRole.CONTROLLING).relayOnly(true).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TURN");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IceUdpConfig.builder(IceRole.CONTROLLING).maxDatagramSize(100).build())
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IceUdpConfig.builder(IceRole.CONTROLLING).port(70000).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enumeratedHostAddressesFollowTheRules() throws Exception {
        IceUdpConfig all = IceUdpConfig.builder(IceRole.CONTROLLING).includeLoopback(true).build();
        List<InetAddress> chosen = HostAddresses.select(all);
        assertThat(chosen).isNotEmpty().anyMatch(InetAddress::isLoopbackAddress);
        assertThat(chosen).noneMatch(a -> a instanceof java.net.Inet6Address && a.isLinkLocalAddress());
        IceUdpConfig v4 = IceUdpConfig.builder(IceRole.CONTROLLING).ipv6(false)
                .hostFilter((nif, a) -> a.isLoopbackAddress()).build();
        // only loopback passes the filter, so the fallback to loopback still yields an address
        assertThat(HostAddresses.select(v4)).isNotEmpty().allMatch(a -> a instanceof java.net.Inet4Address);
    }

    static boolean liveThread(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}
