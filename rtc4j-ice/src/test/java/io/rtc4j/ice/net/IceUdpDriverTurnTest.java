package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.CandidateType;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceRole;
import io.rtc4j.stun.PacketKind;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Two real drivers relay-only through rtc4j's TURN server (in-process, loopback peers allowed). */
class IceUdpDriverTurnTest {
    @Test
    void relayOnlyConnectsThroughTurnAndCarriesDatagramsBothWays() throws Exception {
        try (LoopbackTurnServer turn = new LoopbackTurnServer()) {
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            IceUdpConfig a = IceUdpConfig.builder(IceRole.CONTROLLING).hostAddress(lo).relayOnly(true)
                    .turnServer(turn.address(), turn.client()).build();
            IceUdpConfig b = IceUdpConfig.builder(IceRole.CONTROLLED).hostAddress(lo).relayOnly(true)
                    .turnServer(turn.address(), turn.client()).build();
            TestPeer pa = new TestPeer();
            TestPeer pb = new TestPeer();
            IceConnection[] c = IceUdpDriverTest.connect(a, pa, b, pb);
            try (IceConnection da = c[0]; IceConnection db = c[1]) {
                TestPeer.awaitNominated(da, pa, db, pb, Duration.ofSeconds(20));
                for (TestPeer p : new TestPeer[] {pa, pb}) {
                    assertThat(p.gathered()).isNotEmpty().allMatch(x -> x.type() == CandidateType.RELAYED);
                }
                CandidatePair pair = da.selectedPair().orElseThrow();
                assertThat(pair.local().candidate().type()).isEqualTo(CandidateType.RELAYED);
                IceCandidate bRelayed = pb.gathered().getFirst();
                assertThat(pair.remote().socketAddress()).isEqualTo(bRelayed.socketAddress());

                long toPeerBefore = turn.metrics().packetsToPeer();
                byte[] rtp = {(byte) 0x80, 96, 0, 2, 0, 0, 0, 0, 0, 0, 0, 42, 1, 2, 3};
                TestPeer.Received atB = TestPeer.exchange(da, pb, rtp, Duration.ofSeconds(10));
                assertThat(atB.kind()).isEqualTo(PacketKind.RTP_RTCP);
                assertThat(atB.local()).isEqualTo(bRelayed.socketAddress().orElseThrow()); // arrived via B's relay
                assertThat(atB.remote()).isEqualTo(pair.local().candidate().socketAddress().orElseThrow());
                byte[] dtls = {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 7, 0, 1, 5};
                TestPeer.Received atA = TestPeer.exchange(db, pa, dtls, Duration.ofSeconds(10));
                assertThat(atA.kind()).isEqualTo(PacketKind.DTLS);
                assertThat(turn.metrics().packetsToPeer()).isGreaterThan(toPeerBefore);
                assertThat(da.stats().listenerErrors()).isZero();
                assertThat(db.stats().listenerErrors()).isZero();
            }
        }
    }

    @Test
    void wrongTurnCredentialsEndInRelayFailedAndGatheringCompleted() throws Exception {
        try (LoopbackTurnServer turn = new LoopbackTurnServer()) {
            TestPeer p = new TestPeer();
            IceUdpConfig config = IceUdpConfig.builder(IceRole.CONTROLLING).hostAddress(InetAddress.getByName("127.0.0.1"))
                    .relayOnly(true).turnServer(turn.address(), io.rtc4j.turn.client.TurnClientConfig.builder(
                            LoopbackTurnServer.USER, "wrong-password").build()).build();
            try (IceUdpDriver d = IceUdpDriver.start(config, p)) {
                TestPeer.await("GatheringCompleted", Duration.ofSeconds(20),
                        () -> p.events.contains(new IceDriverEvent.GatheringCompleted()));
                assertThat(p.events).anyMatch(e -> e instanceof IceDriverEvent.RelayFailed f && f.server().equals(turn.address()));
                assertThat(p.gathered()).isEmpty(); // relay-only: no host candidate is signalled
                assertThat(d.localCandidates()).isEmpty();
            }
        }
    }
}
