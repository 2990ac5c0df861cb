package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.ice.IceAgentConfig;
import io.rtc4j.ice.IceCandidate;
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
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * ICE restart (RFC 8445 §9) through the real UDP driver and the shared-port mux: the application learns the
 * new credentials from {@link IceDriverEvent.IceRestarted}, the old pair carries data throughout, and the new
 * generation nominates again.
 */
class IceUdpRestartTest {
    static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void restartOverRealSocketsKeepsDataFlowingAndNominatesAgain() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        TestPeer pa = new TestPeer();
        TestPeer pb = new TestPeer();
        IceConnection[] c = IceUdpDriverTest.connect(IceUdpConfig.builder(IceRole.CONTROLLING).hostAddress(lo).build(), pa,
                IceUdpConfig.builder(IceRole.CONTROLLED).hostAddress(lo).build(), pb);
        try (IceConnection a = c[0]; IceConnection b = c[1]) {
            TestPeer.awaitNominated(a, pa, b, pb, WAIT);
            IceCredentials oldA = a.localCredentials();
            IceCredentials oldB = b.localCredentials();
            IceCredentials newA = IceCredentials.random(new SplittableRandom(42));

            a.restart(newA);
            IceDriverEvent.IceRestarted local = awaitRestart(pa, false);
            assertThat(local.localCredentials()).isEqualTo(newA);
            assertThat(a.localCredentials()).isEqualTo(newA);
            // the old pair still carries data while the new generation has not even started on B
            TestPeer.exchange(a, pb, new byte[] {(byte) 0x80, 1}, WAIT);

            int selectedBefore = selectedChanges(pa);
            b.setRemoteCredentials(newA); // the signaled restart offer
            IceDriverEvent.IceRestarted remote = awaitRestart(pb, true);
            assertThat(remote.localCredentials()).isNotEqualTo(oldB);
            assertThat(b.localCredentials()).isEqualTo(remote.localCredentials());
            TestPeer.exchange(b, pa, new byte[] {(byte) 0x80, 2}, WAIT);

            a.setRemoteCredentials(b.localCredentials()); // the answer
            for (IceCandidate x : b.localCandidates()) {
                a.addRemoteCandidate(x); // candidates are signalled again for the new generation
            }
            for (IceCandidate x : a.localCandidates()) {
                b.addRemoteCandidate(x);
            }
            TestPeer.await("the new generation selects a pair", WAIT, () -> selectedChanges(pa) > selectedBefore);
            TestPeer.awaitNominated(a, pa, b, pb, WAIT);
            TestPeer.exchange(a, pb, new byte[] {(byte) 0x80, 3}, WAIT);
            TestPeer.exchange(b, pa, new byte[] {(byte) 0x80, 4}, WAIT);
            assertThat(a.localCredentials()).isNotEqualTo(oldA);
            assertThat(a.stats().listenerErrors() + b.stats().listenerErrors()).isZero();
        }
    }

    @Test
    void muxRoutesTheNewUfragAfterARestartAndForgetsTheOneBeforeThePrevious() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        SplittableRandom random = new SplittableRandom(9);
        try (IceUdpMux mux = IceUdpMux.start(IceUdpMuxConfig.defaults(new InetSocketAddress(lo, 0)));
                DatagramChannel stranger = DatagramChannel.open()) {
            stranger.bind(new InetSocketAddress(lo, 0));
            TestPeer sp = new TestPeer();
            IceCredentials first = IceCredentials.random(random);
            IceConnection server = mux.addAgent(IceAgentConfig.defaults(IceRole.CONTROLLED), first, sp);
            IceCredentials second = IceCredentials.random(random);
            IceCredentials third = IceCredentials.random(random);

            server.restart(second);
            awaitRestart(sp, false);
            assertThat(mux.agentCount()).isEqualTo(1); // one agent, two ufrags routed
            assertRoutes(mux, server, stranger, second.ufrag(), true);
            assertRoutes(mux, server, stranger, first.ufrag(), true); // the old pair's checks still name it

            server.restart(third);
            TestPeer.await("second restart", WAIT, () -> sp.events.stream()
                    .filter(e -> e instanceof IceDriverEvent.IceRestarted).count() == 2);
            assertRoutes(mux, server, stranger, third.ufrag(), true);
            assertRoutes(mux, server, stranger, second.ufrag(), true);
            assertRoutes(mux, server, stranger, first.ufrag(), false);

            server.close();
            TestPeer.await("the agent left the mux", WAIT, () -> mux.agentCount() == 0);
            assertRoutes(mux, server, stranger, third.ufrag(), false);
        }
    }

    /** A check naming {@code ufrag} from an unknown source: routed to the agent (which refuses it) or not. */
    private static void assertRoutes(IceUdpMux mux, IceConnection agent, DatagramChannel from, String ufrag, boolean routed)
            throws Exception {
        long refusedBefore = agent.stats().droppedByAgent();
        long unroutedBefore = mux.stats().droppedUnrouted();
        byte[] check = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST,
                TransactionId.random(new SplittableRandom(ufrag.hashCode()))).add(new Username(ufrag + ":zzzz")).build(),
                StunProtection.FINGERPRINT);
        from.send(ByteBuffer.wrap(check), mux.localAddress());
        TestPeer.await("the check is accounted for", WAIT, () -> agent.stats().droppedByAgent() > refusedBefore
                || mux.stats().droppedUnrouted() > unroutedBefore);
        if (routed) {
            assertThat(agent.stats().droppedByAgent()).as("routed to the agent: " + ufrag).isGreaterThan(refusedBefore);
        } else {
            assertThat(mux.stats().droppedUnrouted()).as("unrouted: " + ufrag).isGreaterThan(unroutedBefore);
        }
    }

    private static IceDriverEvent.IceRestarted awaitRestart(TestPeer p, boolean byPeer) {
        TestPeer.await("IceRestarted", WAIT, () -> p.events.stream().anyMatch(e -> e instanceof IceDriverEvent.IceRestarted));
        IceDriverEvent.IceRestarted r = (IceDriverEvent.IceRestarted) p.events.stream()
                .filter(e -> e instanceof IceDriverEvent.IceRestarted).findFirst().orElseThrow();
        assertThat(r.byPeer()).isEqualTo(byPeer);
        assertThat(r.generation()).isPositive();
        return r;
    }

    private static int selectedChanges(TestPeer p) {
        return (int) p.events.stream().filter(e -> e instanceof IceDriverEvent.SelectedPairChanged).count();
    }
}
