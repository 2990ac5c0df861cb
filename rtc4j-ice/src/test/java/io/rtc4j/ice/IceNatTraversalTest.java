package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.testkit.net.SimDatagram;
import io.rtc4j.testkit.net.SimNat;
import io.rtc4j.testkit.net.SimNatConfig;
import io.rtc4j.testkit.net.SimNetwork;
import io.rtc4j.testkit.net.SimSocket;
import io.rtc4j.testkit.net.SimTimer;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two agents behind RFC 4787 NATs on the virtual network, gathering host and server-reflexive candidates from
 * a public STUN server and trickling them to each other. Without TURN, a path exists unless one side maps per
 * destination (symmetric) while the other filters by address and port, or both are symmetric.
 */
class IceNatTraversalTest {
    static final InetSocketAddress STUN = new InetSocketAddress("198.51.100.1", 3478);

    enum Nat {
        NONE(null),
        FULL_CONE(SimNatConfig.fullCone()),
        RESTRICTED_CONE(SimNatConfig.restrictedCone()),
        PORT_RESTRICTED_CONE(SimNatConfig.portRestrictedCone()),
        SYMMETRIC(SimNatConfig.symmetric());

        final SimNatConfig config;

        Nat(SimNatConfig config) {
            this.config = config;
        }
    }

    /** The test's driver for one side: the only code touching the socket; engines see time and bytes. */
    static final class Peer implements SimTimer {
        final SimNetwork net;
        final SimSocket socket;
        final IceGatherer gatherer;
        final IceAgent agent;
        Peer other;
        Instant deadline = Instant.MAX;
        Instant gathererDeadline = Instant.MAX;
        Instant relayDeadline = Instant.MAX;
        CandidatePair selected;
        IceTurnRelay relay; // null: no TURN server configured
        boolean gathered;
        boolean relayDone = true;

        int requestsSent; // STUN requests this side's agent sent

        Peer(SimNetwork net, SimSocket socket, IceRole role, long seed) {
            this(net, socket, IceAgentConfig.defaults(role), List.of(STUN), seed);
        }

        Peer(SimNetwork net, SimSocket socket, IceAgentConfig config, List<InetSocketAddress> stunServers, long seed) {
            this.net = net;
            this.socket = socket;
            this.gatherer = new IceGatherer(List.of(socket.localAddress()), stunServers, 1, new SplittableRandom(seed));
            this.agent = new IceAgent(config, IceCredentials.random(new SplittableRandom(seed + 1)),
                    new SplittableRandom(seed + 2));
            socket.onReceive(this::receive);
        }

        void withTurn(InetSocketAddress server, long seed) {
            relay = new IceTurnRelay(socket.localAddress(), server,
                    io.rtc4j.turn.client.TurnClientConfig.builder("u", "p").build(), 1, "9", new SplittableRandom(seed));
            relayDone = false;
        }

        void receive(SimDatagram d) {
            ByteBuffer data = ByteBuffer.wrap(d.data());
            if (relay != null && relay.handleInput(d.at(), socket.localAddress(), d.source(), data)) {
                drain();
                return;
            }
            if (!gatherer.handleInput(d.at(), socket.localAddress(), d.source(), data)) {
                agent.handleInput(d.at(), socket.localAddress(), d.source(), data);
            }
            drain();
        }

        void drainRelay() {
            Instant now = net.now();
            for (int i = 0; relay != null && i < 10_000; i++) {
                switch (relay.pollOutput()) {
                    case IceTurnRelay.Output.Transmit t -> socket.send(t.to(), t.data());
                    case IceTurnRelay.Output.CandidateGathered c -> {
                        agent.addLocalCandidate(now, c.candidate());
                        other.agent.addRemoteCandidate(now, c.candidate().candidate());
                        relayDone = true;
                        maybeEnd(now);
                    }
                    case IceTurnRelay.Output.Received r -> agent.handleInput(now, r.relayed(), r.peer(), r.data());
                    case IceTurnRelay.Output.Failed f -> {
                        relayDone = true;
                        maybeEnd(now);
                    }
                    case IceTurnRelay.Output.Timeout t -> {
                        relayDeadline = t.at();
                        return;
                    }
                }
            }
        }

        void maybeEnd(Instant now) {
            if (gathered && relayDone) {
                other.agent.endOfRemoteCandidates(now);
                other.drainAgent();
            }
        }

        void drain() {
            Instant now = net.now();
            for (int i = 0; i < 10_000; i++) {
                IceGatherer.Output g = gatherer.pollOutput();
                if (g instanceof IceGatherer.Output.Timeout t) {
                    gathererDeadline = t.at();
                    break;
                }
                switch (g) {
                    case IceGatherer.Output.Transmit t -> socket.send(t.to(), t.data());
                    case IceGatherer.Output.CandidateGathered c -> {
                        agent.addLocalCandidate(now, c.candidate());
                        other.agent.addRemoteCandidate(now, c.candidate().candidate()); // trickle over signaling
                        other.drainAgent();
                    }
                    case IceGatherer.Output.GatheringComplete c -> {
                        gathered = true;
                        maybeEnd(now);
                    }
                    default -> {}
                }
            }
            drainRelay();
            drainAgent();
        }

        void drainAgent() {
            for (int i = 0; i < 10_000; i++) {
                switch (agent.pollOutput()) {
                    case IceOutput.Transmit t -> {
                        if (t.data().remaining() > 1 && (t.data().get(t.data().position()) & 0x01) == 0
                                && (t.data().get(t.data().position() + 1) & 0x10) == 0) {
                            requestsSent++; // RFC 8489 §5: class bits C1 C0 both 0
                        }
                        if (relay != null && t.from().equals(relay.relayedAddress())) {
                            relay.send(net.now(), t.to(), t.data());
                            drainRelay();
                        } else {
                            socket.send(t.to(), t.data());
                        }
                    }
                    case IceOutput.SelectedPairChanged p -> selected = p.pair();
                    case IceOutput.Timeout t -> {
                        deadline = min(t.at(), min(gathererDeadline, relayDeadline));
                        return;
                    }
                    default -> {}
                }
            }
            throw new IllegalStateException("agent never returned Timeout");
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public void fire(Instant now) {
            gatherer.handleTimeout(now);
            if (relay != null) {
                relay.handleTimeout(now);
            }
            agent.handleTimeout(now);
            drain();
        }

        boolean connected() {
            return agent.state() == IceConnectionState.CONNECTED || agent.state() == IceConnectionState.COMPLETED;
        }

        /** Nominated (COMPLETED) or FAILED: CONNECTED alone may still be a pair chosen before nomination. */
        boolean done() {
            return agent.state() == IceConnectionState.COMPLETED || agent.state() == IceConnectionState.FAILED;
        }
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Stream<Arguments> natPairs() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (Nat left : Nat.values()) {
            for (Nat right : Nat.values()) {
                b.add(Arguments.of(left, right));
            }
        }
        return b.build();
    }

    static boolean reachable(Nat a, Nat b) {
        boolean aSym = a == Nat.SYMMETRIC;
        boolean bSym = b == Nat.SYMMETRIC;
        return !(aSym && (bSym || b == Nat.PORT_RESTRICTED_CONE)) && !(bSym && a == Nat.PORT_RESTRICTED_CONE);
    }

    @ParameterizedTest(name = "{0} vs {1}")
    @MethodSource("natPairs")
    void connectsExactlyWhenAPathExists(Nat left, Nat right) {
        Peer[] p = run(left, right, false);
        Peer a = p[0];
        Peer b = p[1];
        if (reachable(left, right)) {
            assertThat(a.connected()).as("controlling side %s", a.agent.state()).isTrue();
            assertThat(b.connected()).as("controlled side %s", b.agent.state()).isTrue();
            // a reaches b at b's public address (its own, or its NAT's): 203.0.113.2 either way
            assertThat(a.selected.remote().socketAddress().orElseThrow().getAddress().getHostAddress())
                    .isEqualTo("203.0.113.2");
            if (left == Nat.NONE && right == Nat.NONE) {
                assertThat(a.selected.local().candidate().type()).isEqualTo(CandidateType.HOST); // direct wins
            }
        } else {
            assertThat(a.agent.state()).isEqualTo(IceConnectionState.FAILED);
            assertThat(b.agent.state()).isEqualTo(IceConnectionState.FAILED);
        }
    }

    @ParameterizedTest(name = "{0} vs {1} with TURN")
    @MethodSource("natPairs")
    void withTurnEveryPairConnectsAndRelaysExactlyWhenRequired(Nat left, Nat right) {
        Peer[] p = run(left, right, true);
        Peer a = p[0];
        Peer b = p[1];
        assertThat(a.connected()).as("controlling side %s", a.agent.state()).isTrue();
        assertThat(b.connected()).as("controlled side %s", b.agent.state()).isTrue();
        boolean relayed = a.selected.local().candidate().type() == CandidateType.RELAYED
                || a.selected.remote().type() == CandidateType.RELAYED;
        assertThat(relayed).as("selected %s", a.selected).isEqualTo(!reachable(left, right));
    }

    Peer[] run(Nat left, Nat right, boolean turn) {
        SimNetwork net = new SimNetwork(left.ordinal() * 10L + right.ordinal());
        SimSocket stun = net.internet().addHost("stun", "198.51.100.1").bind(3478);
        stun.onReceive(d -> answerBinding(stun, d));
        Peer a = new Peer(net, socketBehind(net, left, "a", "203.0.113.1", "10.0.0.2"), IceRole.CONTROLLING, 1);
        Peer b = new Peer(net, socketBehind(net, right, "b", "203.0.113.2", "10.0.0.3"), IceRole.CONTROLLED, 100);
        a.other = b;
        b.other = a;
        if (turn) {
            SimTurnServer server = new SimTurnServer(net);
            net.addTimer(server);
            a.withTurn(server.address(), 11);
            b.withTurn(server.address(), 12);
        }
        Instant now = net.now();
        a.agent.setRemoteCredentials(now, b.agent.localCredentials());
        b.agent.setRemoteCredentials(now, a.agent.localCredentials());
        net.addTimer(a);
        net.addTimer(b);
        for (Peer x : new Peer[] {a, b}) {
            x.gatherer.start(now);
            if (x.relay != null) {
                x.relay.start(now);
            }
        }
        a.drain();
        b.drain();
        net.runUntil(() -> a.done() && b.done(), Duration.ofSeconds(120));
        return new Peer[] {a, b};
    }

    static SimSocket socketBehind(SimNetwork net, Nat nat, String name, String publicIp, String privateIp) {
        if (nat == Nat.NONE) {
            return net.internet().addHost(name, publicIp).bind(5000);
        }
        SimNat box = net.internet().addNat(name + "-nat", publicIp, nat.config);
        return box.inside().addHost(name, privateIp).bind(5000);
    }

    static void answerBinding(SimSocket stun, SimDatagram d) {
        try {
            StunMessage req = StunCodec.decode(ByteBuffer.wrap(d.data()));
            StunMessage res = req.response(StunClass.SUCCESS_RESPONSE).add(new XorMappedAddress(d.source())).build();
            stun.send(d.source(), StunCodec.encode(res, StunProtection.FINGERPRINT));
        } catch (StunParseException e) {
            // not STUN: a public server ignores it
        }
    }
}
