package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.ice.AgentWire.Side;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1) between two agents on the deterministic wire. */
class IceRestartTest {
    static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 5000);
    static final InetSocketAddress A_NEW = new InetSocketAddress("192.0.2.11", 5000);
    static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 6000);

    final AgentWire wire = new AgentWire();
    final Side a = wire.side("a", IceAgentConfig.defaults(IceRole.CONTROLLING), 1, A);
    final Side b = wire.side("b", IceAgentConfig.defaults(IceRole.CONTROLLED), 2, B);

    static IceCredentials fresh(long seed) {
        return IceCredentials.random(new SplittableRandom(seed));
    }

    void connect() {
        wire.exchange(a, b);
        assertThat(wire.runUntil(() -> completed(a) && completed(b), Duration.ofSeconds(5))).isTrue();
    }

    static boolean completed(Side s) {
        return s.state() == IceConnectionState.COMPLETED;
    }

    /**
     * The restart as JSEP carries it: {@code initiator} restarts with new credentials (the new offer); the other
     * side sees them change and restarts too (its answer); both re-signal their candidates.
     */
    void restart(Side initiator, Side responder, long seed) {
        Instant now = wire.clock.now();
        initiator.agent.restart(now, fresh(seed));
        responder.agent.setRemoteCredentials(now, initiator.agent.localCredentials());
        initiator.agent.setRemoteCredentials(now, responder.agent.localCredentials());
        for (Side[] pair : new Side[][] {{initiator, responder}, {responder, initiator}}) {
            for (InetSocketAddress h : pair[1].addresses) {
                pair[0].agent.addRemoteCandidate(now, AgentWire.remoteHost(h, AgentWire.preference(h)));
            }
            pair[0].agent.endOfRemoteCandidates(now);
        }
    }

    @ParameterizedTest(name = "restarted by the {0} side")
    @ValueSource(strings = {"controlling", "controlled"})
    void dataFlowsThroughoutARestartByEitherSide(String who) {
        connect();
        a.startApp();
        b.startApp();
        wire.run(Duration.ofSeconds(2));
        IceCredentials oldA = a.agent.localCredentials();
        IceCredentials oldB = b.agent.localCredentials();
        int statesBefore = a.states.size() + b.states.size();
        long receivedBefore = a.appReceived + b.appReceived;
        Side initiator = who.equals("controlling") ? a : b;
        Side responder = initiator == a ? b : a;

        restart(initiator, responder, 50);
        assertThat(a.agent.localCredentials()).isNotEqualTo(oldA);
        assertThat(b.agent.localCredentials()).isNotEqualTo(oldB);
        // until the new generation nominates, the old pair carries the data: no gap
        wire.run(Duration.ofMillis(30));
        assertThat(initiator.restarts).singleElement().satisfies(r -> assertThat(r.byPeer()).isFalse());
        assertThat(responder.restarts).singleElement().satisfies(r -> {
            assertThat(r.byPeer()).isTrue();
            assertThat(r.localCredentials()).isEqualTo(responder.agent.localCredentials());
        });
        assertThat(a.selected).hasSize(1);
        assertThat(a.appReceived + b.appReceived).isGreaterThan(receivedBefore);

        assertThat(wire.runUntil(() -> a.selected.size() == 2 && b.selected.size() == 2, Duration.ofSeconds(5))).isTrue();
        wire.run(Duration.ofSeconds(2));
        a.stopApp();
        b.stopApp();
        wire.run(Duration.ofMillis(100)); // what is still on the wire lands
        assertThat(a.agent.generation()).isEqualTo(1);
        assertThat(b.agent.generation()).isEqualTo(1);
        assertThat(a.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(b.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(a.states.size() + b.states.size()).as("no state change on either side").isEqualTo(statesBefore);
        assertThat(a.appSent).isGreaterThan(150);
        assertThat(b.appReceived).as("every datagram a sent arrived").isEqualTo(a.appSent);
        assertThat(a.appReceived).as("every datagram b sent arrived").isEqualTo(b.appSent);
        // the new generation checks with the new credentials only: old ones are refused now
        assertThat(a.agent.dropped()).isZero();
    }

    @ParameterizedTest(name = "after consent loss: {0}")
    @ValueSource(strings = {"DISCONNECTED", "FAILED"})
    void restartAfterConsentLossRecovers(String after) {
        connect();
        wire.drop = p -> true; // the path dies
        IceConnectionState expected = IceConnectionState.valueOf(after);
        assertThat(wire.runUntil(() -> a.state() == expected, Duration.ofSeconds(40))).isTrue();
        wire.drop = p -> false; // and comes back; consent alone would bring DISCONNECTED back, not FAILED
        restart(a, b, 60);
        assertThat(a.state()).isEqualTo(IceConnectionState.CHECKING);
        a.startApp();
        b.startApp();
        assertThat(wire.runUntil(() -> completed(a) && completed(b), Duration.ofSeconds(5))).isTrue();
        wire.run(Duration.ofSeconds(1));
        assertThat(a.appReceived).isPositive();
        assertThat(b.appReceived).isPositive();
        assertThat(a.agent.generation()).isEqualTo(1);
    }

    @Test
    void restartOnAChangedNetworkSelectsTheNewPath() {
        connect();
        a.startApp();
        // a's interface changes: the old address is gone, a new one comes up
        wire.drop = p -> p.from().equals(A) || p.to().equals(A);
        a.addresses.add(A_NEW);
        assertThat(wire.runUntil(() -> a.state() == IceConnectionState.DISCONNECTED, Duration.ofSeconds(20))).isTrue();
        Instant now = wire.clock.now();
        a.agent.restart(now, fresh(70));
        a.agent.addLocalCandidate(now, AgentWire.host(A_NEW, 65535));
        b.agent.setRemoteCredentials(now, a.agent.localCredentials());
        a.agent.setRemoteCredentials(now, b.agent.localCredentials());
        a.agent.addRemoteCandidate(now, AgentWire.remoteHost(B, 65535));
        b.agent.addRemoteCandidate(now, AgentWire.remoteHost(A, 65535));
        b.agent.addRemoteCandidate(now, AgentWire.remoteHost(A_NEW, 65535));
        a.agent.endOfRemoteCandidates(now);
        b.agent.endOfRemoteCandidates(now);
        assertThat(wire.runUntil(() -> completed(a) && completed(b), Duration.ofSeconds(10))).isTrue();
        assertThat(a.selected.getLast().local().sendAddress()).isEqualTo(A_NEW);
        assertThat(b.selected.getLast().remote().socketAddress()).contains(A_NEW);
        long before = b.appReceived;
        wire.run(Duration.ofSeconds(40)); // consent holds on the new path
        assertThat(b.appReceived - before).isGreaterThan(1000);
        assertThat(b.appSources.getLast()).isEqualTo(A_NEW);
        assertThat(a.state()).isEqualTo(IceConnectionState.COMPLETED);
    }

    @Test
    void answersToChecksOfTheOldGenerationAreIgnored() {
        Instant restartAt = wire.clock.now().plus(Duration.ofMillis(100));
        // b's answers to a's first checks take a second: they arrive after a has restarted
        wire.delay = p -> p.sender() == b && p.sentAt().isBefore(restartAt) ? Duration.ofSeconds(1) : Duration.ofMillis(10);
        wire.exchange(a, b);
        wire.run(Duration.ofMillis(100));
        assertThat(a.selected).isEmpty();
        restart(a, b, 80);
        // hold the new generation back until the old answers have landed
        Instant release = wire.clock.now().plus(Duration.ofMillis(1500));
        wire.drop = p -> p.sender() == a && p.sentAt().isBefore(release);
        wire.run(Duration.ofMillis(1400));
        List<AgentWire.Packet> staleAnswers = b.sent.stream()
                .filter(p -> p.sentAt().isBefore(restartAt) && p.isStun() && (p.data()[0] & 0x01) == 0x01)
                .toList();
        assertThat(staleAnswers).as("b answered a's old checks").isNotEmpty();
        assertThat(a.selected).as("no pair from an old answer").isEmpty();
        assertThat(a.state()).isEqualTo(IceConnectionState.CHECKING);
        assertThat(a.agent.dropped()).isGreaterThanOrEqualTo(staleAnswers.size());
        wire.drop = p -> false;
        assertThat(wire.runUntil(() -> completed(a) && completed(b), Duration.ofSeconds(5))).isTrue();
        assertThat(a.agent.generation()).isEqualTo(1);
    }

    static String username(AgentWire.Packet p) {
        try {
            io.rtc4j.stun.Username u = io.rtc4j.stun.StunCodec.decode(java.nio.ByteBuffer.wrap(p.data()))
                    .getOrNull(io.rtc4j.stun.Username.class);
            return u == null ? "" : u.value();
        } catch (io.rtc4j.stun.StunParseException e) {
            return "";
        }
    }

    @Test
    void theOldPairKeepsConsentWhileTheNewGenerationChecksAndOnlyUntilTheSwitch() {
        connect();
        a.startApp();
        b.startApp();
        IceCredentials oldA = a.agent.localCredentials();
        IceCredentials oldB = b.agent.localCredentials();
        restart(a, b, 90);
        String newA = a.agent.localCredentials().ufrag();
        String newB = b.agent.localCredentials().ufrag();
        // the new generation's checks are lost for 20 s (less than a check's 39.5 s of retransmissions, RFC 8489
        // §6.2.1): only the old pair and its consent checks get through
        wire.drop = p -> p.isStun() && (username(p).contains(newA) || username(p).contains(newB));
        long checksBefore = a.sent.stream().filter(p -> p.isStun() && username(p).startsWith(oldB.ufrag() + ":")).count();
        wire.run(Duration.ofSeconds(20));
        long consentChecks = a.sent.stream().filter(p -> p.isStun() && username(p).startsWith(oldB.ufrag() + ":")).count();
        assertThat(consentChecks - checksBefore).as("consent on the old pair, with the old credentials").isGreaterThanOrEqualTo(3);
        assertThat(a.states).doesNotContain(IceConnectionState.DISCONNECTED);
        assertThat(b.states).doesNotContain(IceConnectionState.DISCONNECTED);
        assertThat(a.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(a.selected).hasSize(1);
        wire.drop = p -> false;
        assertThat(wire.runUntil(() -> a.selected.size() == 2 && b.selected.size() == 2, Duration.ofSeconds(60))).isTrue();
        a.stopApp();
        b.stopApp();
        wire.run(Duration.ofMillis(100));
        assertThat(b.appReceived).isEqualTo(a.appSent);
        assertThat(a.appReceived).isEqualTo(b.appSent);
        // after the switch the old credentials are refused (401, counted)
        long dropped = b.agent.dropped();
        byte[] stale = IceMessages.check(io.rtc4j.stun.TransactionId.random(new SplittableRandom(1)), oldA, oldB, 1,
                IceRole.CONTROLLING, 1, false);
        b.agent.handleInput(wire.clock.now(), B, A, java.nio.ByteBuffer.wrap(stale));
        assertThat(b.agent.dropped()).isEqualTo(dropped + 1);
    }

    @Test
    void restartNeedsNewCredentials() {
        connect();
        IceCredentials same = a.agent.localCredentials();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.agent.restart(wire.clock.now(), same))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(a.agent.generation()).isZero();
    }
}
