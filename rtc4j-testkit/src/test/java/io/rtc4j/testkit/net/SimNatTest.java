package io.rtc4j.testkit.net;

import static io.rtc4j.testkit.net.NetFixtures.mappedAddress;
import static io.rtc4j.testkit.net.NetFixtures.reflector;
import static io.rtc4j.testkit.net.NetFixtures.sock;
import static io.rtc4j.testkit.net.NetFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 4787 behaviours, observed the way RFC 5780 measures them: from the inside, with reflectors outside. */
class SimNatTest {
    private static final Instant T0 = SimClock.EPOCH;
    private static final InetSocketAddress S1 = sock("192.0.2.1", 3478);
    private static final InetSocketAddress S1_ALT_PORT = sock("192.0.2.1", 3479);
    private static final InetSocketAddress S2 = sock("192.0.2.2", 3478);

    private final SimNetwork net = new SimNetwork(21);
    private final SimHost s1 = net.internet().addHost("s1", "192.0.2.1");
    private final SimHost s2 = net.internet().addHost("s2", "192.0.2.2");
    private final SimHost third = net.internet().addHost("third", "192.0.2.3");
    private final SimSocket s1Main = reflector(s1, 3478);
    private final SimSocket s1Alt = reflector(s1, 3479);
    private final SimSocket s1Other = s1.bind(4000); // same IP as S1, a port the inside never contacted
    private final SimSocket s2Main = reflector(s2, 3478);
    private final SimSocket thirdSock = third.bind(3478); // an address the inside never contacted

    private SimNat nat(SimNatConfig config) {
        SimNat nat = net.internet().addNat("nat", "203.0.113.1", config);
        nat.setLink(SimLinkConditions.delay(Duration.ofMillis(10)));
        return nat;
    }

    /** Sends {@code from -> to} and reports whether {@code to} got it within a second. */
    private boolean reaches(SimSocket from, InetSocketAddress to, SimSocket receiver) {
        int before = receiver.queued();
        from.send(to, text("unsolicited?"));
        net.runFor(Duration.ofSeconds(1));
        boolean got = receiver.queued() > before;
        while (receiver.queued() > 0) {
            receiver.poll();
        }
        return got;
    }

    @ParameterizedTest(name = "{0} mapping, {1} filtering")
    @CsvSource({
        // mapping,                 filtering,                  same IP other port: same mapping, other IP: same
        // mapping, accepts from same IP other port, accepts from other IP
        "ENDPOINT_INDEPENDENT,       ENDPOINT_INDEPENDENT,       true,  true,  true,  true",
        "ENDPOINT_INDEPENDENT,       ADDRESS_DEPENDENT,          true,  true,  true,  false",
        "ENDPOINT_INDEPENDENT,       ADDRESS_AND_PORT_DEPENDENT, true,  true,  false, false",
        "ADDRESS_DEPENDENT,          ENDPOINT_INDEPENDENT,       true,  false, true,  true",
        "ADDRESS_DEPENDENT,          ADDRESS_DEPENDENT,          true,  false, true,  false",
        "ADDRESS_DEPENDENT,          ADDRESS_AND_PORT_DEPENDENT, true,  false, false, false",
        "ADDRESS_AND_PORT_DEPENDENT, ENDPOINT_INDEPENDENT,       false, false, true,  true",
        "ADDRESS_AND_PORT_DEPENDENT, ADDRESS_DEPENDENT,          false, false, true,  false",
        "ADDRESS_AND_PORT_DEPENDENT, ADDRESS_AND_PORT_DEPENDENT, false, false, false, false",
    })
    void mappingAndFilteringBehaveAsRfc4787Says(
            NatBehavior mapping,
            NatBehavior filtering,
            boolean sameMappingForOtherPort,
            boolean sameMappingForOtherIp,
            boolean acceptsSameIpOtherPort,
            boolean acceptsOtherIp) {
        SimNat nat = nat(SimNatConfig.builder().mapping(mapping).filtering(filtering).build());
        SimHost host = nat.inside().addHost("host", "10.0.0.2");

        // §4.1 mapping, as RFC 5780 §4.3 tests it: one socket, three destinations
        SimSocket m = host.bind(5000);
        InetSocketAddress viaS1 = mappedAddress(net, m, S1);
        InetSocketAddress viaS1AltPort = mappedAddress(net, m, S1_ALT_PORT);
        InetSocketAddress viaS2 = mappedAddress(net, m, S2);
        assertThat(viaS1.getAddress()).isEqualTo(nat.externalAddress());
        assertThat(viaS1AltPort.equals(viaS1)).isEqualTo(sameMappingForOtherPort);
        assertThat(viaS2.equals(viaS1)).isEqualTo(sameMappingForOtherIp);
        assertThat(viaS2.equals(viaS1AltPort)).isEqualTo(mapping == NatBehavior.ENDPOINT_INDEPENDENT);

        // §5 filtering, as RFC 5780 §4.4 tests it: a fresh socket that only ever talked to S1
        SimSocket f = host.bind(6000);
        InetSocketAddress mapped = mappedAddress(net, f, S1);
        assertThat(reaches(s1Main, mapped, f)).as("from the contacted endpoint").isTrue();
        assertThat(reaches(s1Other, mapped, f)).as("from its IP, other port").isEqualTo(acceptsSameIpOtherPort);
        assertThat(reaches(thirdSock, mapped, f)).as("from another IP").isEqualTo(acceptsOtherIp);
        long filtered = (acceptsSameIpOtherPort ? 0 : 1) + (acceptsOtherIp ? 0 : 1);
        assertThat(nat.counters().dropped(DropReason.NAT_FILTERED)).isEqualTo(filtered);
        assertThat(net.counters().dropped()).isEqualTo(filtered);
    }

    @Test
    void unknownExternalPortIsNoMapping() {
        SimNat nat = nat(SimNatConfig.fullCone());
        thirdSock.send(new InetSocketAddress(nat.externalAddress(), 40000), text("scan"));
        net.runFor(Duration.ofSeconds(1));
        assertThat(nat.counters().dropped(DropReason.NAT_NO_MAPPING)).isEqualTo(1);
    }

    @Test
    void mappingLapsesAfterTheTimeoutAndInboundTrafficDoesNotRefreshIt() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone()); // 120 s, outbound refresh only (REQ-5, REQ-6)
        SimSocket f = nat.inside().addHost("host", "10.0.0.2").bind(5000);
        InetSocketAddress mapped = mappedAddress(net, f, S1); // mapping made at T0

        net.runUntil(T0.plusSeconds(110));
        assertThat(reaches(s1Main, mapped, f)).isTrue(); // lands at 110.01 s
        net.runUntil(T0.plusSeconds(120));
        assertThat(reaches(s1Main, mapped, f)).isFalse(); // 120.01 s: lapsed despite the inbound at 110 s
        assertThat(nat.counters().dropped(DropReason.NAT_NO_MAPPING)).isEqualTo(1);
        assertThat(nat.mappings()).isEmpty();
    }

    @Test
    void outboundTrafficRefreshesTheMapping() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone());
        SimSocket f = nat.inside().addHost("host", "10.0.0.2").bind(5000);
        InetSocketAddress mapped = mappedAddress(net, f, S1);

        net.runUntil(T0.plusSeconds(100));
        assertThat(mappedAddress(net, f, S1)).isEqualTo(mapped); // refreshed at 100 s
        assertThat(nat.mappings()).singleElement().satisfies(m -> {
            assertThat(m.external()).isEqualTo(mapped);
            assertThat(m.internal()).isEqualTo(f.localAddress());
            assertThat(m.remote()).isNull();
            assertThat(m.refreshed()).isEqualTo(T0.plusSeconds(100));
        });
        net.runUntil(T0.plusSeconds(200));
        assertThat(reaches(s1Main, mapped, f)).isTrue();
        net.runUntil(T0.plusSeconds(220));
        assertThat(reaches(s1Main, mapped, f)).isFalse();
    }

    @Test
    void inboundRefreshWhenConfigured() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone().toBuilder().inboundRefresh(true).build());
        SimSocket f = nat.inside().addHost("host", "10.0.0.2").bind(5000);
        InetSocketAddress mapped = mappedAddress(net, f, S1);

        net.runUntil(T0.plusSeconds(110));
        assertThat(reaches(s1Main, mapped, f)).isTrue();
        net.runUntil(T0.plusSeconds(200));
        assertThat(reaches(s1Main, mapped, f)).isTrue();
    }

    @Test
    void afterExpiryOutboundTrafficMakesANewMapping() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone().toBuilder()
                .portAssignment(NatPortAssignment.SEQUENTIAL)
                .mappingTimeout(Duration.ofSeconds(30))
                .build());
        net.enableTrace(1000);
        SimSocket f = nat.inside().addHost("host", "10.0.0.2").bind(5000);

        assertThat(mappedAddress(net, f, S1).getPort()).isEqualTo(1024);
        net.runUntil(T0.plusSeconds(31));
        assertThat(mappedAddress(net, f, S1).getPort()).isEqualTo(1025);
        assertThat(net.trace())
                .filteredOn(e -> e.kind() == SimTraceEvent.Kind.MAPPING_EXPIRED)
                .singleElement()
                .satisfies(e -> assertThat(e.destination().getPort()).isEqualTo(1024));
    }

    @Test
    void eachFilterPermissionLapsesOnItsOwn() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone());
        SimSocket f = nat.inside().addHost("host", "10.0.0.2").bind(5000);
        InetSocketAddress mapped = mappedAddress(net, f, S1);
        // keepalives to S2 keep the (endpoint-independent) mapping alive, not the hole towards S1
        for (int t = 0; t <= 120; t += 60) {
            net.runUntil(T0.plusSeconds(t));
            assertThat(mappedAddress(net, f, S2)).isEqualTo(mapped);
        }

        net.runUntil(T0.plusSeconds(130));
        assertThat(reaches(s1Main, mapped, f)).isFalse();
        assertThat(reaches(s2Main, mapped, f)).isTrue();
        assertThat(nat.counters().dropped(DropReason.NAT_FILTERED)).isEqualTo(1);
    }

    @Test
    void hairpinningPresentsTheSendersExternalAddress() {
        SimNat nat = nat(SimNatConfig.fullCone());
        SimSocket a = nat.inside().addHost("a", "10.0.0.2").bind(5000);
        SimSocket b = nat.inside().addHost("b", "10.0.0.3").bind(5001);
        InetSocketAddress ma = mappedAddress(net, a, S1);
        InetSocketAddress mb = mappedAddress(net, b, S1);

        a.send(mb, text("via the NAT"));
        net.runFor(Duration.ofSeconds(1));

        SimDatagram d = b.poll();
        assertThat(d.source()).isEqualTo(ma); // RFC 4787 §6, REQ-9: external source IP address and port
        assertThat(d.destination()).isEqualTo(b.localAddress());
    }

    @Test
    void hairpinnedPacketsMeetTheFilterLikeAnyInbound() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone());
        SimSocket a = nat.inside().addHost("a", "10.0.0.2").bind(5000);
        SimSocket b = nat.inside().addHost("b", "10.0.0.3").bind(5001);
        InetSocketAddress ma = mappedAddress(net, a, S1);
        InetSocketAddress mb = mappedAddress(net, b, S1);

        assertThat(reaches(a, mb, b)).isFalse(); // b never sent to ma
        assertThat(reaches(b, ma, a)).isTrue(); // a has sent to mb just now
        assertThat(reaches(a, mb, b)).isTrue();
        assertThat(nat.counters().dropped(DropReason.NAT_FILTERED)).isEqualTo(1);
    }

    @Test
    void withoutHairpinningTheAttemptIsDropped() {
        SimNat nat = nat(SimNatConfig.fullCone().toBuilder().hairpinning(false).build());
        SimSocket a = nat.inside().addHost("a", "10.0.0.2").bind(5000);
        SimSocket b = nat.inside().addHost("b", "10.0.0.3").bind(5001);
        mappedAddress(net, a, S1);
        InetSocketAddress mb = mappedAddress(net, b, S1);

        assertThat(reaches(a, mb, b)).isFalse();
        assertThat(nat.counters().dropped(DropReason.NAT_NO_HAIRPIN)).isEqualTo(1);
        // hosts of one realm still reach each other directly (host candidates)
        assertThat(reaches(a, b.localAddress(), b)).isTrue();
    }

    @Test
    void portPreservationFallsBackWhenThePortIsTaken() {
        SimNat nat = nat(SimNatConfig.portRestrictedCone());
        SimSocket a = nat.inside().addHost("a", "10.0.0.2").bind(5000);
        SimSocket b = nat.inside().addHost("b", "10.0.0.3").bind(5000);
        assertThat(mappedAddress(net, a, S1).getPort()).isEqualTo(5000);
        assertThat(mappedAddress(net, b, S1).getPort()).isEqualTo(1024);
    }

    @Test
    void randomPortsRepeatWithTheSeedAndRunOutCleanly() {
        assertThat(randomPorts(5)).isEqualTo(randomPorts(5)).isNotEqualTo(randomPorts(6));

        SimNat tiny = nat(SimNatConfig.symmetric().toBuilder().portRange(40000, 40001).build());
        SimSocket s = tiny.inside().addHost("h", "10.0.0.2").bind(5000);
        assertThat(mappedAddress(net, s, S1).getPort()).isBetween(40000, 40001);
        assertThat(mappedAddress(net, s, S1_ALT_PORT).getPort()).isBetween(40000, 40001);
        assertThat(mappedAddress(net, s, S2)).isNull();
        assertThat(tiny.counters().dropped(DropReason.NAT_PORTS_EXHAUSTED)).isEqualTo(1);
    }

    private static String randomPorts(long seed) {
        SimNetwork n = new SimNetwork(seed);
        SimHost server = n.internet().addHost("s", "192.0.2.1");
        reflector(server, 3478);
        reflector(server, 3479);
        SimNat nat = n.internet().addNat("nat", "203.0.113.1", SimNatConfig.symmetric());
        SimSocket s = nat.inside().addHost("h", "10.0.0.2").bind(5000);
        int p1 = mappedAddress(n, s, S1).getPort();
        int p2 = mappedAddress(n, s, S1_ALT_PORT).getPort();
        assertThat(p1).isNotEqualTo(p2).isBetween(1024, 65535);
        return p1 + "," + p2;
    }

    @Test
    void natsNestAndTheOutermostAddressIsWhatTheServerSees() {
        SimNat cgn = net.internet().addNat("cgn", "203.0.113.100", SimNatConfig.fullCone());
        SimNat home = cgn.inside().addNat("home", "100.64.0.2", SimNatConfig.portRestrictedCone());
        SimSocket s = home.inside().addHost("h", "192.168.1.2").bind(5000);

        InetSocketAddress mapped = mappedAddress(net, s, S1);

        assertThat(mapped.getAddress()).isEqualTo(cgn.externalAddress());
        assertThat(home.mappings()).singleElement().satisfies(m -> assertThat(m.external())
                .isEqualTo(sock("100.64.0.2", 5000)));
        assertThat(cgn.mappings()).singleElement().satisfies(m -> assertThat(m.internal())
                .isEqualTo(sock("100.64.0.2", 5000)));
        assertThat(home.counters().sent()).isEqualTo(1);
        assertThat(home.counters().delivered()).isEqualTo(1);
    }

    @Test
    void privateAndForeignFamilyDestinationsGoNowhere() {
        SimNat nat = nat(SimNatConfig.fullCone());
        SimHost h = nat.inside().addHost("h", "10.0.0.2");
        SimSocket s = h.bind(5000);
        s.send(sock("10.0.0.99", 1), text("another network's private address")); // out via the NAT, then nowhere
        s.send(sock("2001:db8::1", 1), text("IPv6 through an IPv4 NAT"));
        net.runFor(Duration.ofSeconds(1));
        assertThat(nat.counters().dropped(DropReason.NO_ROUTE)).isEqualTo(2);
    }
}
