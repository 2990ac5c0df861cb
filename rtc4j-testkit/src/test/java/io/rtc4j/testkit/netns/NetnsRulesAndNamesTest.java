package io.rtc4j.testkit.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The pure parts of the lab: rulesets, names, stale detection, addresses. Runs everywhere, no root. */
class NetnsRulesAndNamesTest {
    @Test
    void natBoxRulesetMasqueradesOnWanAndDropsUnsolicitedInbound() {
        String plain = NftRules.natBox("wan", NatMode.MASQUERADE);
        assertThat(plain)
                .contains("table ip rtc4j_nat")
                .contains("type nat hook postrouting priority srcnat")
                .contains("oifname \"wan\" masquerade\n")
                .doesNotContain("fully-random")
                .contains("type filter hook input priority filter")
                .contains("iifname \"wan\" ct state != { established, related } counter drop");
        assertThat(NftRules.natBox("wan", NatMode.MASQUERADE_FULLY_RANDOM))
                .contains("oifname \"wan\" masquerade fully-random\n");
    }

    @Test
    void interfaceNamesAreCheckedAgainstTheKernelLimit() {
        assertThatThrownBy(() -> NftRules.natBox("sixteen-chars-xx", NatMode.MASQUERADE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NftRules.natBox("wan\" accept", NatMode.MASQUERADE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyLabNamesOfDeadOwnersAreStale() {
        assertThat(NetnsLab.isStale("r4j-123-0a1b2c-nata", pid -> false)).isTrue();
        assertThat(NetnsLab.isStale("r4j-123-0a1b2c-nata", pid -> pid == 123)).isFalse();
        // anything not made by the lab is never touched, dead owner or not
        assertThat(NetnsLab.isStale("sdpcap30536", pid -> false)).isFalse();
        assertThat(NetnsLab.isStale("r4j-x-0a1b2c-nata", pid -> false)).isFalse();
        assertThat(NetnsLab.isStale("r4j-123-0a1b2c-nata-extra", pid -> false)).isFalse();
        assertThat(NetnsLab.isStale("other-r4j-123-0a1b2c-nata", pid -> false)).isFalse();
    }

    @Test
    void netnsListParsesBothOutputForms() {
        assertThat(NetnsLab.parseNetnsList("r4j-1-abcdef-pub (id: 3)\nfoo\n\n"))
                .containsExactly("r4j-1-abcdef-pub", "foo");
        assertThat(NetnsLab.parseNetnsList("")).isEmpty();
    }

    @Test
    void cidrParsesLiteralsOnly() {
        Ipv4Cidr c = Ipv4Cidr.parse("10.0.1.2/24");
        assertThat(c.ip()).isEqualTo("10.0.1.2");
        assertThat(c.prefixLength()).isEqualTo(24);
        assertThat(c.toString()).isEqualTo("10.0.1.2/24");
        assertThat(c.contains(Ipv4Cidr.literal("10.0.1.200"))).isTrue();
        assertThat(c.contains(Ipv4Cidr.literal("10.0.2.2"))).isFalse();
        assertThat(Ipv4Cidr.parse("203.0.113.1").prefixLength()).isEqualTo(32);
        assertThat(c.network()).isEqualTo(Ipv4Cidr.parse("10.0.1.0/24"));
        assertThat(Ipv4Cidr.parse("172.31.255.254/12").network()).isEqualTo(Ipv4Cidr.parse("172.16.0.0/12"));
        assertThatThrownBy(() -> Ipv4Cidr.parse("localhost/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.256/24")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.0.0.1/33")).isInstanceOf(IllegalArgumentException.class);
    }
}
