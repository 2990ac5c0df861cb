package io.rtc4j.testkit.net;

/** Why the virtual network dropped a datagram. Every drop is counted, never thrown. */
public enum DropReason {
    /** Seeded random loss on a link. */
    LOSS,
    /** Tail drop: the link's rate-limit queue was full. */
    RATE_LIMIT,
    /** No node owns the destination address in the realm the packet reached. */
    NO_ROUTE,
    /** The destination host has no socket bound to the destination address and port. */
    NO_SOCKET,
    /** The destination socket's receive queue was full (nobody polls it). */
    RECEIVE_QUEUE_FULL,
    /** Inbound to a NAT's external address and port with no live mapping (RFC 4787 §4.3: expired or never made). */
    NAT_NO_MAPPING,
    /** Inbound matched a mapping but failed the NAT's filtering behaviour (RFC 4787 §5). */
    NAT_FILTERED,
    /** Sent from inside to the NAT's own external address while hairpinning is off (RFC 4787 §6). */
    NAT_NO_HAIRPIN,
    /** The NAT had no free external port for a new mapping. */
    NAT_PORTS_EXHAUSTED
}
