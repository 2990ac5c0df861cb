package io.rtc4j.testkit.net;

import static io.rtc4j.testkit.net.NetFixtures.mappedAddress;
import static io.rtc4j.testkit.net.NetFixtures.reflector;
import static io.rtc4j.testkit.net.NetFixtures.sock;
import static io.rtc4j.testkit.net.NetFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UDP hole punching between two NATed hosts, ICE-style but without an ICE agent: each side learns its mapped
 * address from a reflector, the two swap them out of band, then both send checks to the other's mapped address
 * and answer any check at the address it came from (a peer-reflexive answer). The textbook result: it works
 * unless one side is symmetric and the other filters on port (or is symmetric too).
 */
class HolePunchingTest {
    private static final InetSocketAddress STUN = sock("192.0.2.1", 3478);

    private enum Kind {
        FULL_CONE(SimNatConfig::fullCone),
        RESTRICTED_CONE(SimNatConfig::restrictedCone),
        PORT_RESTRICTED_CONE(SimNatConfig::portRestrictedCone),
        SYMMETRIC(SimNatConfig::symmetric);

        final Supplier<SimNatConfig> config;

        Kind(Supplier<SimNatConfig> config) {
            this.config = config;
        }
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Kind a : Kind.values()) {
            for (Kind b : Kind.values()) {
                boolean fails = (a == Kind.SYMMETRIC && b == Kind.SYMMETRIC)
                        || (a == Kind.SYMMETRIC && b == Kind.PORT_RESTRICTED_CONE)
                        || (a == Kind.PORT_RESTRICTED_CONE && b == Kind.SYMMETRIC);
                cases.add(Arguments.of(a, b, !fails));
            }
        }
        return cases.stream();
    }

    /** One side: a socket that sends checks and answers them, noting whether the peer ever got through. */
    private static final class Peer {
        final SimSocket socket;
        boolean heardPeer;

        Peer(SimSocket socket) {
            this.socket = socket;
        }

        void listen() {
            socket.onReceive(d -> {
                String msg = NetFixtures.text(d);
                if (msg.equals("check") || msg.equals("answer")) {
                    heardPeer = true;
                }
                if (msg.equals("check")) {
                    socket.send(d.source(), text("answer")); // RFC 8445 §7.3: respond to the source address
                }
            });
        }
    }

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @MethodSource("matrix")
    void holePunchingFollowsTheTextbookMatrix(Kind kindA, Kind kindB, boolean expected) {
        SimNetwork net = new SimNetwork(99);
        reflector(net.internet().addHost("stun", "192.0.2.1"), 3478);
        SimNat natA = net.internet().addNat("natA", "203.0.113.1", kindA.config.get());
        SimNat natB = net.internet().addNat("natB", "198.51.100.1", kindB.config.get());
        natA.setLink(SimLinkConditions.delay(Duration.ofMillis(15)));
        natB.setLink(SimLinkConditions.delay(Duration.ofMillis(25)));
        // the same private address on both sides: realms are separate address spaces
        Peer a = new Peer(natA.inside().addHost("alice", "10.0.0.2").bind(5000));
        Peer b = new Peer(natB.inside().addHost("bob", "10.0.0.2").bind(5000));

        InetSocketAddress mappedA = mappedAddress(net, a.socket, STUN);
        InetSocketAddress mappedB = mappedAddress(net, b.socket, STUN);
        a.listen();
        b.listen();
        Instant start = net.now();
        for (int i = 0; i < 10; i++) { // checks every 50 ms, both sides at once
            Instant t = start.plusMillis(50L * i);
            net.schedule(t, () -> a.socket.send(mappedB, text("check")));
            net.schedule(t, () -> b.socket.send(mappedA, text("check")));
        }

        boolean connected = net.runUntil(() -> a.heardPeer && b.heardPeer, Duration.ofSeconds(2));

        assertThat(connected).isEqualTo(expected);
        if (!expected) {
            long filtered = natA.counters().dropped(DropReason.NAT_FILTERED)
                    + natB.counters().dropped(DropReason.NAT_FILTERED);
            assertThat(filtered).isEqualTo(20); // every check died at a filter
        }
    }
}
