package io.rtc4j.testkit.netns;

import java.util.Objects;

/**
 * The lab's "internet": one namespace whose bridge {@value #BRIDGE} joins the WAN side of every
 * {@link NatBox} and every public host. Servers (STUN/TURN) run in this namespace on {@link #address()} and
 * any {@link NetnsLab#addPublicAddress added} address. Its default route is a dead end, so a packet towards
 * an unknown (private) address vanishes silently, as it would on the internet, instead of failing the send.
 *
 * @param namespace where it lives
 * @param address the bridge's first address; its prefix is the public subnet
 */
public record PublicNetwork(Netns namespace, Ipv4Cidr address) {
    public static final String BRIDGE = "br0";

    public PublicNetwork {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(address, "address");
    }

    /** Packets that went down the dead-end default route so far (towards addresses nobody here has). */
    public long deadEndPackets() {
        return namespace.receivedPackets(NetnsLab.DEAD_END_SINK);
    }
}
