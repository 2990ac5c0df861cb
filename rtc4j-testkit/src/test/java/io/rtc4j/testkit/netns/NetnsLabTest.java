package io.rtc4j.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lab against the real kernel: topology as built, NAT rules loaded where they belong, forwarding only in
 * NAT boxes, everything gone after close, leftovers of dead runs removed. Skips without root, except under
 * CI=true where it fails instead. Behaviour (mapping) is measured in rtc4j-netns-it.
 */
class NetnsLabTest {
    @BeforeAll
    static void requireLab() {
        Optional<String> why = NetnsLab.unavailableReason();
        if (why.isPresent() && NetnsLab.requiredByEnvironment()) {
            fail("CI=true but the netns lab cannot run: " + why.get());
        }
        assumeTrue(why.isEmpty(), () -> "netns lab unavailable: " + why.orElse(""));
    }

    @Test
    void buildsNatTopologyAndDeletesItOnClose() {
        List<String> names;
        try (NetnsLab lab = NetnsLab.create()) {
            PublicNetwork pub = lab.publicNetwork("pub", Ipv4Cidr.parse("203.0.113.1/24"));
            NatBox nat = lab.natBox(
                    "nat", pub, Ipv4Cidr.parse("203.0.113.11/24"), Ipv4Cidr.parse("10.0.1.1/24"),
                    NatMode.MASQUERADE_FULLY_RANDOM);
            LabHost host = lab.hostBehind("host", nat, Ipv4Cidr.parse("10.0.1.2/24"));
            names = lab.namespaces().stream().map(Netns::name).toList();
            assertThat(names).allMatch(n -> n.startsWith(lab.runPrefix())).hasSize(3);
            assertThat(netnsList()).containsAll(names);

            assertThat(nat.namespace().nftRuleset())
                    .contains("masquerade fully-random")
                    .contains("iifname \"wan\" ct state != { established, related } counter");
            assertThat(pub.namespace().nftRuleset()).doesNotContain("table");
            assertThat(nat.namespace().run("cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("1");
            assertThat(pub.namespace().run("cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("0");
            assertThat(host.namespace().run("cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("0");

            // The host reaches the internet through the box; the internet's default route is the dead end.
            assertThat(host.namespace().ip("route", "get", "203.0.113.1")).contains("via 10.0.1.1 dev eth0");
            assertThat(pub.namespace().ip("route", "get", "10.0.1.2")).contains("via 198.18.0.1 dev dead0");
            assertThat(nat.namespace().ip("route", "get", "203.0.113.1")).contains("dev wan");
            assertThat(pub.namespace().ip("link", "show", "master", PublicNetwork.BRIDGE)).contains("pnat");
        }
        assertThat(netnsList()).doesNotContainAnyElementsOf(names);
    }

    @Test
    void customTopologyWithVethAddressesAndRoutes() {
        try (NetnsLab lab = NetnsLab.create()) {
            Netns x = lab.namespace("x");
            Netns y = lab.namespace("y");
            lab.veth(x, "vx", Ipv4Cidr.parse("192.0.2.1/30"), y, "vy", Ipv4Cidr.parse("192.0.2.2/30"));
            x.addRoute(Ipv4Cidr.parse("198.51.100.7/24"), Ipv4Cidr.literal("192.0.2.2"));
            assertThat(x.ip("route", "get", "198.51.100.7")).contains("via 192.0.2.2 dev vx");
            long before = y.receivedPackets("vy");
            x.run("bash", "-c", "echo over-the-link > /dev/udp/192.0.2.2/9");
            // the datagram (and the ARP exchange before it) arrived on the other end
            assertThat(y.receivedPackets("vy")).isGreaterThan(before);
        }
    }

    @Test
    void privateLinkGivesAnAddressAndADefaultRouteThatStayInside() {
        try (NetnsLab lab = NetnsLab.create()) {
            Netns x = lab.namespace("x");
            x.addPrivateLink("v0", "v1", Ipv4Cidr.parse("10.99.0.1/24"));
            assertThat(x.ip("-4", "addr", "show", "dev", "v0")).contains("inet 10.99.0.1/24");
            // any destination goes out of v0, whose peer v1 is in the same namespace: nothing can leave it
            assertThat(x.ip("route", "get", "198.51.100.7")).contains("dev v0");
            assertThat(x.ip("link", "show", "v1")).contains("v1@v0").contains("UP");
        }
    }

    @Test
    void deadEndRouteSwallowsPacketsWithoutASendError() {
        try (NetnsLab lab = NetnsLab.create()) {
            PublicNetwork pub = lab.publicNetwork("pub", Ipv4Cidr.parse("203.0.113.1/24"));
            long before = pub.deadEndPackets();
            // bash's /dev/udp: one datagram to a private address nobody in the lab has; exit 0 = the send worked
            pub.namespace().run("bash", "-c", "echo dead-end > /dev/udp/10.99.0.1/9");
            assertThat(pub.deadEndPackets()).isGreaterThanOrEqualTo(before + 1);
        }
    }

    @Test
    void natBoxDropsUnsolicitedPacketsToItself() {
        try (NetnsLab lab = NetnsLab.create()) {
            PublicNetwork pub = lab.publicNetwork("pub", Ipv4Cidr.parse("203.0.113.1/24"));
            NatBox nat = lab.natBox(
                    "nat", pub, Ipv4Cidr.parse("203.0.113.11/24"), Ipv4Cidr.parse("10.0.1.1/24"), NatMode.MASQUERADE);
            assertThat(inputDrops(nat)).isZero();
            // from the "internet" to the box's public address, no flow of the box's hosts behind it
            pub.namespace().run("bash", "-c", "echo unsolicited > /dev/udp/203.0.113.11/5555");
            assertThat(inputDrops(nat)).isEqualTo(1);
        }
    }

    private static long inputDrops(NatBox nat) {
        String chain = nat.namespace().run("nft", "list", "chain", "ip", NftRules.NAT_TABLE, "input");
        Matcher m = Pattern.compile("counter packets (\\d+)").matcher(chain);
        assertThat(m.find()).as(chain).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void removesNamespacesOfDeadRunsOnly() {
        // pid_max is at most 2^22, so this owner can never be alive.
        String stale = NetnsLab.PREFIX + "4194305-abcdef-stale";
        NetnsCommands.ip("netns", "add", stale);
        try {
            try (NetnsLab lab = NetnsLab.create()) {
                assertThat(netnsList()).doesNotContain(stale);
                Netns mine = lab.namespace("live");
                // a live owner (this JVM) is never stale
                assertThat(NetnsLab.removeStale()).doesNotContain(mine.name());
                assertThat(netnsList()).contains(mine.name());
            }
        } finally {
            if (netnsList().contains(stale)) {
                NetnsCommands.ip("netns", "delete", stale);
            }
        }
    }

    @Test
    void rejectsBadTopologyBeforeTouchingTheKernel() {
        try (NetnsLab lab = NetnsLab.create()) {
            assertThatThrownBy(() -> lab.namespace("Bad_Role")).isInstanceOf(IllegalArgumentException.class);
            PublicNetwork pub = lab.publicNetwork("pub", Ipv4Cidr.parse("203.0.113.1/24"));
            assertThatThrownBy(() -> lab.natBox(
                            "nat", pub, Ipv4Cidr.parse("198.51.100.1/24"), Ipv4Cidr.parse("10.0.1.1/24"),
                            NatMode.MASQUERADE))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not in 203.0.113.1/24");
            assertThat(lab.namespaces()).hasSize(1);
        }
    }

    private static List<String> netnsList() {
        return NetnsLab.parseNetnsList(NetnsCommands.ip("netns", "list"));
    }
}
