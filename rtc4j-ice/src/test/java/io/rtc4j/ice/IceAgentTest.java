package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Two agents on a deterministic wire: every datagram arrives 10 ms later, unless the test drops it. */
class IceAgentTest {
    static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 5000);
    static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 6000);
    static final Duration LATENCY = Duration.ofMillis(10);

    final SimClock clock = new SimClock();
    final SplittableRandom random = new SplittableRandom(7);

    /** One agent plus what it emitted. */
    final class Side {
        final IceAgent agent;
        final List<IceConnectionState> states = new ArrayList<>();
        final List<CandidatePair> selected = new ArrayList<>();
        final List<IceCandidate> learned = new ArrayList<>();

        Side(IceRole role, long seed) {
            agent = new IceAgent(IceAgentConfig.defaults(role), IceCredentials.random(new SplittableRandom(seed)), new SplittableRandom(seed + 100));
        }
    }

    record InFlight(Instant at, Side to, InetSocketAddress from, InetSocketAddress dest, byte[] data) {}

    final List<InFlight> wire = new ArrayList<>();
    Predicate<InFlight> drop = p -> false;

    LocalCandidate host(InetSocketAddress a) {
        return new LocalCandidate(IceCandidate.udp("1", 1, IcePriority.candidate(CandidateType.HOST, 65535, 1), a, CandidateType.HOST), a);
    }

    IceCandidate remoteHost(InetSocketAddress a) {
        return IceCandidate.udp("1", 1, IcePriority.candidate(CandidateType.HOST, 65535, 1), a, CandidateType.HOST);
    }

    void drain(Side s, Side other) {
        IceOutput o;
        while (!((o = s.agent.pollOutput()) instanceof IceOutput.Timeout)) {
            switch (o) {
                case IceOutput.Transmit t -> {
                    byte[] b = new byte[t.data().remaining()];
                    t.data().duplicate().get(b);
                    InFlight f = new InFlight(clock.now().plus(LATENCY), other, t.from(), t.to(), b);
                    if (!drop.test(f)) {
                        wire.add(f);
                    }
                }
                case IceOutput.StateChanged c -> s.states.add(c.state());
                case IceOutput.SelectedPairChanged p -> s.selected.add(p.pair());
                case IceOutput.RemoteCandidateLearned l -> s.learned.add(l.candidate());
                default -> {}
            }
        }
    }

    /** Runs both agents and the wire until {@code until} of virtual time, never sleeping. */
    void run(Side a, Side b, Duration span) {
        Instant until = clock.now().plus(span);
        for (int guard = 0; guard < 1_000_000; guard++) {
            drain(a, b);
            drain(b, a);
            Instant next = min(deadline(a), deadline(b));
            for (InFlight f : wire) {
                next = min(next, f.at());
            }
            if (next.isAfter(until)) {
                clock.advanceTo(until);
                return;
            }
            clock.advanceTo(next);
            List<InFlight> due = wire.stream().filter(f -> !f.at().isAfter(clock.now())).toList();
            wire.removeAll(due);
            for (InFlight f : due) {
                f.to().agent.handleInput(clock.now(), f.dest(), f.from(), ByteBuffer.wrap(f.data()));
            }
            a.agent.handleTimeout(clock.now());
            b.agent.handleTimeout(clock.now());
        }
        throw new AssertionError("did not settle");
    }

    Instant deadline(Side s) {
        return ((IceOutput.Timeout) s.agent.pollOutput()).at();
    }

    static Instant min(Instant x, Instant y) {
        return x.isBefore(y) ? x : y;
    }

    Side[] connectedPair(IceRole roleA, IceRole roleB, boolean bKnowsA) {
        Side a = new Side(roleA, 1);
        Side b = new Side(roleB, 2);
        Instant now = clock.now();
        a.agent.setRemoteCredentials(now, b.agent.localCredentials());
        b.agent.setRemoteCredentials(now, a.agent.localCredentials());
        a.agent.addLocalCandidate(now, host(A));
        b.agent.addLocalCandidate(now, host(B));
        a.agent.addRemoteCandidate(now, remoteHost(B));
        if (bKnowsA) {
            b.agent.addRemoteCandidate(now, remoteHost(A));
        }
        a.agent.endOfRemoteCandidates(now);
        b.agent.endOfRemoteCandidates(now);
        return new Side[] {a, b};
    }

    @Test
    void hostToHostConnectsAndNominates() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, true);
        run(s[0], s[1], Duration.ofSeconds(2));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(s[1].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(s[0].states).startsWith(IceConnectionState.CHECKING);
        assertThat(s[0].selected.getLast().local().sendAddress()).isEqualTo(A);
        assertThat(s[1].selected.getLast().local().sendAddress()).isEqualTo(B);
        assertThat(s[1].selected.getLast().remote().socketAddress()).contains(A);
    }

    @Test
    void aPeersCheckOnAPairInProgressTriggersANewCheckAtOnce() {
        // RFC 8445 §7.3.1.4. B's first check gets no usable answer (here: lost; from a browser that has not got
        // our description yet: a 401 without integrity, dropped). Then A's check arrives for that pair: B cancels
        // its transaction and checks again at once, instead of on its retransmission 500 ms later.
        Side a = new Side(IceRole.CONTROLLING, 1);
        Side b = new Side(IceRole.CONTROLLED, 2);
        Instant now = clock.now();
        b.agent.setRemoteCredentials(now, a.agent.localCredentials()); // A's credentials: B has the offer
        a.agent.addLocalCandidate(now, host(A));
        b.agent.addLocalCandidate(now, host(B));
        a.agent.addRemoteCandidate(now, remoteHost(B));
        b.agent.addRemoteCandidate(now, remoteHost(A));
        boolean[] lost = {false};
        drop = f -> f.to() == b && !lost[0] && (lost[0] = true); // A's first datagram: its answer to B's check
        run(a, b, Duration.ofMillis(30));
        assertThat(lost[0]).isTrue();
        assertThat(b.selected).isEmpty();
        a.agent.setRemoteCredentials(clock.now(), b.agent.localCredentials()); // B's answer reaches A
        run(a, b, Duration.ofMillis(100));
        assertThat(b.selected).as("B's pair is valid and nominated well before its retransmission").isNotEmpty();
        assertThat(a.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        run(a, b, Duration.ofSeconds(60)); // the cancelled transaction's silence is no failure
        assertThat(b.agent.state()).isIn(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }

    @Test
    void controlledAgentCompletesWhenEndOfCandidatesArrivesAfterTheNomination() {
        Side a = new Side(IceRole.CONTROLLING, 1);
        Side b = new Side(IceRole.CONTROLLED, 2);
        Instant now = clock.now();
        a.agent.setRemoteCredentials(now, b.agent.localCredentials());
        b.agent.setRemoteCredentials(now, a.agent.localCredentials());
        a.agent.addLocalCandidate(now, host(A));
        b.agent.addLocalCandidate(now, host(B));
        a.agent.addRemoteCandidate(now, remoteHost(B));
        b.agent.addRemoteCandidate(now, remoteHost(A));
        a.agent.endOfRemoteCandidates(now); // B's end-of-candidates is still on the signaling path
        run(a, b, Duration.ofSeconds(3));
        assertThat(a.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(b.agent.state()).isEqualTo(IceConnectionState.CONNECTED); // nominated, peer may trickle more
        b.agent.endOfRemoteCandidates(clock.now());
        run(a, b, Duration.ofMillis(10));
        assertThat(b.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(b.states).endsWith(IceConnectionState.CONNECTED, IceConnectionState.COMPLETED);
    }

    @Test
    void consentKeepsTheSelectedPairAliveForAnHour() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, true);
        run(s[0], s[1], Duration.ofHours(1));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(s[1].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(s[0].states).doesNotContain(IceConnectionState.DISCONNECTED);
    }

    @Test
    void lostConsentDisconnectsThenFails() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, true);
        run(s[0], s[1], Duration.ofSeconds(2));
        Instant cut = clock.now();
        drop = p -> true; // the path dies
        run(s[0], s[1], Duration.ofSeconds(9));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.DISCONNECTED);
        run(s[0], s[1], Duration.ofSeconds(25));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.FAILED);
        assertThat(clock.now()).isAfter(cut.plus(Duration.ofSeconds(30)));
    }

    @Test
    void aBriefOutageRecovers() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, true);
        run(s[0], s[1], Duration.ofSeconds(2));
        drop = p -> true;
        run(s[0], s[1], Duration.ofSeconds(12));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.DISCONNECTED);
        drop = p -> false;
        run(s[0], s[1], Duration.ofSeconds(10));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
    }

    @Test
    void roleConflictIsResolvedByTieBreakers() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLING, true);
        run(s[0], s[1], Duration.ofSeconds(3));
        assertThat(s[0].agent.role()).isNotEqualTo(s[1].agent.role());
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(s[1].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
    }

    @Test
    void peerReflexiveCandidateIsLearnedFromChecks() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, false); // b never hears of A
        run(s[0], s[1], Duration.ofSeconds(3));
        assertThat(s[1].learned).hasSize(1);
        assertThat(s[1].learned.getFirst().type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
        assertThat(s[1].learned.getFirst().socketAddress()).contains(A);
        assertThat(s[1].agent.state()).isEqualTo(IceConnectionState.COMPLETED);
    }

    @Test
    void unreachableRemoteFailsAfterEndOfCandidates() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, true);
        drop = p -> true;
        run(s[0], s[1], Duration.ofSeconds(60));
        assertThat(s[0].agent.state()).isEqualTo(IceConnectionState.FAILED);
        assertThat(s[1].agent.state()).isEqualTo(IceConnectionState.FAILED);
    }

    @Test
    void unauthenticatedAndMalformedChecksAreDroppedAndCounted() {
        Side[] s = connectedPair(IceRole.CONTROLLING, IceRole.CONTROLLED, true);
        IceAgent b = s[1].agent;
        // wrong password
        StunMessage req = StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(random))
                .add(new Username(b.localCredentials().ufrag() + ":x"))
                .build();
        byte[] forged = StunCodec.encode(req, StunProtection.integrity("not-the-password-at-all".getBytes()).withFingerprint());
        b.handleInput(clock.now(), B, A, ByteBuffer.wrap(forged));
        b.handleInput(clock.now(), B, A, ByteBuffer.wrap(new byte[] {0, 1, 0, 0}));
        b.handleInput(clock.now(), B, A, ByteBuffer.wrap(new byte[] {(byte) 0x80, 0, 0, 0}));
        assertThat(b.dropped()).isEqualTo(3);
        // the forged check got a 401 without integrity and taught nothing
        List<StunMessage> errors = new ArrayList<>();
        IceOutput o;
        while (!((o = b.pollOutput()) instanceof IceOutput.Timeout)) {
            if (o instanceof IceOutput.Transmit t && t.to().equals(A)) {
                try {
                    StunMessage m = StunCodec.decode(t.data().duplicate());
                    if (m.transactionId().equals(req.transactionId())) {
                        errors.add(m);
                    }
                } catch (io.rtc4j.stun.StunParseException e) {
                    throw new AssertionError(e);
                }
            }
            assertThat(o).isNotInstanceOf(IceOutput.RemoteCandidateLearned.class);
        }
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().getOrNull(io.rtc4j.stun.ErrorCode.class).code()).isEqualTo(401);
        assertThat(errors.getFirst().hasIntegrity()).isFalse();
    }
}
