package io.rtc4j.testkit.netns;

/** The nftables rulesets the lab loads; pure text, so they are testable without root. */
final class NftRules {
    /** The one table the lab creates in a NAT box; the box's namespace is the lab's, so is the table. */
    static final String NAT_TABLE = "rtc4j_nat";

    private NftRules() {}

    /**
     * A NAT box: source NAT on the WAN interface, and nothing unsolicited let in. Dropping new inbound flows
     * addressed to the box itself matters: conntrack would otherwise record them, and a host's later
     * outgoing flow that collides with such an entry gets its port remapped, which breaks cone behaviour
     * (ENGINEERING.md §4). The drop happens before conntrack confirms the entry, so none is kept.
     */
    static String natBox(String wanInterface, NatMode mode) {
        checkInterfaceName(wanInterface);
        return """
                table ip %1$s {
                    chain postrouting {
                        type nat hook postrouting priority srcnat; policy accept;
                        oifname "%2$s" %3$s
                    }
                    chain input {
                        type filter hook input priority filter; policy accept;
                        iifname "%2$s" ct state != { established, related } counter drop
                    }
                    chain forward {
                        type filter hook forward priority filter; policy accept;
                        iifname "%2$s" ct state != { established, related } counter drop
                    }
                }
                """
                .formatted(NAT_TABLE, wanInterface, mode.nftStatement());
    }

    /** Linux interface names: 1-15 characters, none of them blank, '/', ':' or quotes. */
    static void checkInterfaceName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9_.-]{1,15}")) {
            throw new IllegalArgumentException("not a usable interface name (1-15 of [A-Za-z0-9_.-]): " + name);
        }
    }
}
