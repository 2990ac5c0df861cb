package io.rtc4j.testkit.netns;

/**
 * How a {@link NatBox} translates: the nftables {@code masquerade} statement on its WAN interface. Both
 * filter as the Linux conntrack table does, by the full 5-tuple: an inbound packet passes only if it answers
 * a flow the inside host opened to that exact remote address and port (RFC 4787 §5
 * address-and-port-dependent filtering).
 */
public enum NatMode {
    /**
     * {@code masquerade}: the source port is kept when free, so one inside socket keeps one mapping towards
     * every destination (RFC 4787 §4.1 endpoint-independent mapping): a port-restricted cone.
     */
    MASQUERADE("masquerade"),

    /**
     * {@code masquerade fully-random}: every new flow (new destination) gets a random external port
     * (address-and-port-dependent mapping): a symmetric NAT.
     */
    MASQUERADE_FULLY_RANDOM("masquerade fully-random");

    private final String nftStatement;

    NatMode(String nftStatement) {
        this.nftStatement = nftStatement;
    }

    /** The nftables statement, e.g. {@code masquerade fully-random}. */
    public String nftStatement() {
        return nftStatement;
    }
}
