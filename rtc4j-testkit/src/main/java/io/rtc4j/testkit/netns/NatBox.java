package io.rtc4j.testkit.netns;

import java.util.Objects;

/**
 * A router namespace doing source NAT: interface {@value #WAN} on a {@link PublicNetwork}, bridge
 * {@value #LAN} for the hosts behind it, IPv4 forwarding on (here only), and the ruleset of
 * {@link NftRules#natBox}. Made by {@link NetnsLab#natBox}.
 *
 * @param wan its public address
 * @param lan its address on the private side, the hosts' default gateway
 */
public record NatBox(Netns namespace, Ipv4Cidr wan, Ipv4Cidr lan, NatMode mode) {
    public static final String WAN = "wan";
    public static final String LAN = "lan";

    public NatBox {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(wan, "wan");
        Objects.requireNonNull(lan, "lan");
        Objects.requireNonNull(mode, "mode");
    }
}
