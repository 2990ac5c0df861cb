package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.ice.AgentWire.Side;
import io.rtc4j.ice.IceNatTraversalTest.Nat;
import io.rtc4j.ice.IceNatTraversalTest.Peer;
import io.rtc4j.testkit.net.SimNetwork;
import io.rtc4j.testkit.net.SimSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ICE-lite (RFC 8445 §2.5, §6.1.1, §8.2; RFC 7675) against full agents and another lite agent. */
class IceLiteTest {
    static final InetSocketAddress FULL = new InetSocketAddress("192.0.2.1", 5000);
    static final InetSocketAddress LITE_1 = new InetSocketAddress("192.0.2.2", 6000);
    static final InetSocketAddress LITE_2 = new InetSocketAddress("192.0.2.3", 6001);

    final AgentWire wire = new AgentWire();

    static boolean isRequest(AgentWire.Packet p) {
        return p.isStun() && (p.data()[0] & 0x01) == 0 && (p.data()[1] & 0x10) == 0;
    }

    Side[] fullAndLite(InetSocketAddress... liteHosts) {
        Side full = wire.side("full", IceAgentConfig.defaults(IceRole.CONTROLLED), 1, FULL); // the SFU offered
        Side lite = wire.side("lite", IceAgentConfig.liteDefaults(), 2, liteHosts);
        full.agent.setRemoteLite(wire.clock.now(), true);
        wire.exchange(full, lite);
        return new Side[] {full, lite};
    }

    /** The SFU case: the lite side is public, the full side behind each kind of NAT, with a STUN server. */
    @ParameterizedTest(name = "full side behind {0}")
    @EnumSource(Nat.class)
    void fullBehindAnyNatConnectsToAPublicLiteAgent(Nat nat) {
        SimNetwork net = new SimNetwork(40 + nat.ordinal());
        SimSocket stun = net.internet().addHost("stun", "198.51.100.1").bind(3478);
        stun.onReceive(d -> IceNatTraversalTest.answerBinding(stun, d));
        Peer full = new Peer(net, IceNatTraversalTest.socketBehind(net, nat, "a", "203.0.113.1", "10.0.0.2"),
                IceAgentConfig.defaults(IceRole.CONTROLLED), List.of(IceNatTraversalTest.STUN), 1);
        Peer lite = new Peer(net, net.internet().addHost("sfu", "203.0.113.2").bind(5000), IceAgentConfig.liteDefaults(),
                List.of(), 100);
        full.other = lite;
        lite.other = full;
        Instant now = net.now();
        full.agent.setRemoteLite(now, true);
        full.agent.setRemoteCredentials(now, lite.agent.localCredentials());
        lite.agent.setRemoteCredentials(now, full.agent.localCredentials());
        net.addTimer(full);
        net.addTimer(lite);
        full.gatherer.start(now);
        lite.gatherer.start(now);
        full.drain();
        lite.drain();
        assertThat(net.runUntil(() -> full.done() && lite.done(), Duration.ofSeconds(30))).isTrue();
        assertThat(full.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(lite.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(full.agent.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(lite.agent.role()).isEqualTo(IceRole.CONTROLLED);
        // the lite side answers where the check came from: the NAT's public address when there is one
        assertThat(lite.selected.remote().socketAddress().orElseThrow().getAddress().getHostAddress())
                .isEqualTo("203.0.113.1"); // the full side, or its NAT
        assertThat(lite.selected.local().sendAddress()).isEqualTo(full.selected.remote().socketAddress().orElseThrow());
        assertThat(lite.requestsSent).as("a lite agent never sends a check").isZero();
        net.runUntil(() -> false, Duration.ofSeconds(60)); // consent from the full side keeps both up
        assertThat(full.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(lite.agent.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(lite.requestsSent).isZero();
    }

    @Test
    void liteWithSeveralHostCandidatesUsesTheOneThatWorks() {
        wire.drop = p -> p.to().equals(LITE_1) || p.from().equals(LITE_1); // the preferred interface is dead
        Side[] s = fullAndLite(LITE_1, LITE_2);
        assertThat(wire.runUntil(() -> s[0].state() == IceConnectionState.COMPLETED
                && s[1].state() == IceConnectionState.COMPLETED, Duration.ofSeconds(10))).isTrue();
        assertThat(s[0].selected.getLast().remote().socketAddress()).contains(LITE_2);
        assertThat(s[1].selected.getLast().local().sendAddress()).isEqualTo(LITE_2);
        assertThat(s[1].selected.getLast().remote().socketAddress()).contains(FULL);
    }

    @Test
    void liteWithSeveralWorkingHostCandidatesTakesTheNominatedBestOne() {
        Side[] s = fullAndLite(LITE_1, LITE_2);
        assertThat(wire.runUntil(() -> s[1].state() == IceConnectionState.COMPLETED, Duration.ofSeconds(10))).isTrue();
        assertThat(s[0].selected.getLast().remote().socketAddress()).contains(LITE_1); // higher preference
        assertThat(s[1].selected).singleElement().satisfies(p -> assertThat(p.local().sendAddress()).isEqualTo(LITE_1));
    }

    @Test
    void liteSideStatesAndConsentFollowTheFullPeer() {
        Side[] s = fullAndLite(LITE_1);
        Side full = s[0];
        Side lite = s[1];
        assertThat(wire.runUntil(() -> lite.state() == IceConnectionState.COMPLETED, Duration.ofSeconds(10))).isTrue();
        assertThat(lite.states).containsExactly(IceConnectionState.CHECKING, IceConnectionState.CONNECTED,
                IceConnectionState.COMPLETED);
        Instant connectedAt = wire.clock.now();
        wire.run(Duration.ofMinutes(2));
        assertThat(lite.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(full.state()).isEqualTo(IceConnectionState.COMPLETED);
        // RFC 7675: the full agent keeps asking for consent (every 4-6 s); the lite agent only answers
        long consentChecks = full.sent.stream().filter(p -> p.sentAt().isAfter(connectedAt) && isRequest(p)).count();
        assertThat(consentChecks).isBetween(18L, 32L);
        assertThat(lite.sent).noneMatch(IceLiteTest::isRequest);
        assertThat(lite.sent.stream().filter(p -> p.sentAt().isAfter(connectedAt)).count()).isEqualTo(consentChecks);

        wire.drop = p -> true;
        // silence counts from the last check that reached the lite side
        Instant lastCheck = full.sent.stream().filter(IceLiteTest::isRequest).map(AgentWire.Packet::sentAt)
                .max(Instant::compareTo).orElseThrow().plus(Duration.ofMillis(10));
        assertThat(wire.runUntil(() -> lite.state() == IceConnectionState.DISCONNECTED, Duration.ofSeconds(20))).isTrue();
        assertThat(wire.clock.now()).isEqualTo(lastCheck.plus(Duration.ofSeconds(8)));
        assertThat(wire.runUntil(() -> lite.state() == IceConnectionState.FAILED, Duration.ofSeconds(40))).isTrue();
        assertThat(wire.clock.now()).isEqualTo(lastCheck.plus(Duration.ofSeconds(30)));
        assertThat(lite.states.subList(3, lite.states.size()))
                .containsExactly(IceConnectionState.DISCONNECTED, IceConnectionState.FAILED);
        assertThat(wire.runUntil(() -> full.state() == IceConnectionState.FAILED, Duration.ofSeconds(10))).isTrue();

        // a late nominating check is answered but does not revive the failed agent (RFC 7675 §5.1)
        wire.drop = p -> false;
        int sentBefore = lite.sent.size();
        byte[] late = IceMessages.check(io.rtc4j.stun.TransactionId.random(new java.util.SplittableRandom(3)),
                full.agent.localCredentials(), lite.agent.localCredentials(), 1, IceRole.CONTROLLING, 1, true);
        lite.agent.handleInput(wire.clock.now(), LITE_1, FULL, java.nio.ByteBuffer.wrap(late));
        wire.run(Duration.ofMillis(50));
        assertThat(lite.sent).hasSize(sentBefore + 1);
        assertThat(lite.state()).isEqualTo(IceConnectionState.FAILED);

        // the full side restarts; the lite side follows the changed credentials and recovers
        Instant now = wire.clock.now();
        full.agent.restart(now, IceCredentials.random(new java.util.SplittableRandom(9)));
        lite.agent.setRemoteCredentials(now, full.agent.localCredentials());
        full.agent.setRemoteCredentials(now, lite.agent.localCredentials());
        full.agent.addRemoteCandidate(now, AgentWire.remoteHost(LITE_1, AgentWire.preference(LITE_1)));
        full.agent.endOfRemoteCandidates(now);
        assertThat(wire.runUntil(() -> lite.state() == IceConnectionState.COMPLETED
                && full.state() == IceConnectionState.COMPLETED, Duration.ofSeconds(10))).isTrue();
        assertThat(lite.agent.generation()).isEqualTo(1);
        assertThat(lite.sent).noneMatch(IceLiteTest::isRequest);
    }

    @Test
    void aFullAgentThatThinksItIsControlledIsToldByA487() {
        Side full = wire.side("full", IceAgentConfig.defaults(IceRole.CONTROLLED), 1, FULL); // not told about lite
        Side lite = wire.side("lite", IceAgentConfig.liteDefaults(), 2, LITE_1);
        wire.exchange(full, lite);
        assertThat(wire.runUntil(() -> lite.state() == IceConnectionState.COMPLETED, Duration.ofSeconds(10))).isTrue();
        assertThat(full.agent.role()).isEqualTo(IceRole.CONTROLLING);
        assertThat(lite.agent.role()).isEqualTo(IceRole.CONTROLLED);
    }

    @Test
    void twoLiteAgentsSelectTheHighestPairWithoutChecks() {
        // RFC 8445 §6.1.1: the initiating agent takes the controlling role
        Side offerer = wire.side("offerer", IceAgentConfig.liteDefaults().withRole(IceRole.CONTROLLING), 1, FULL);
        Side answerer = wire.side("answerer", IceAgentConfig.liteDefaults(), 2, LITE_1, LITE_2);
        offerer.agent.setRemoteLite(wire.clock.now(), true);
        answerer.agent.setRemoteLite(wire.clock.now(), true);
        wire.exchange(offerer, answerer);
        wire.run(Duration.ofMinutes(1));
        assertThat(offerer.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(answerer.state()).isEqualTo(IceConnectionState.COMPLETED);
        assertThat(offerer.selected.getLast().remote().socketAddress()).contains(LITE_1);
        assertThat(answerer.selected.getLast().local().sendAddress()).isEqualTo(LITE_1);
        assertThat(offerer.sent).isEmpty();
        assertThat(answerer.sent).isEmpty();
    }

    @Test
    void liteAgentsTakeHostCandidatesOnly() {
        IceAgent lite = new IceAgent(IceAgentConfig.liteDefaults(), IceCredentials.random(new java.util.SplittableRandom(1)),
                new java.util.SplittableRandom(2));
        IceCandidate srflx = IceCandidate.udp("2", 1, IcePriority.candidate(CandidateType.SERVER_REFLEXIVE, 65535, 1),
                LITE_2, CandidateType.SERVER_REFLEXIVE);
        assertThatThrownBy(() -> lite.addLocalCandidate(Instant.EPOCH, new LocalCandidate(srflx, LITE_1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
