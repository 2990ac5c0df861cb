package io.rtc4j.testkit.net;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * One line of the network's optional trace. For mapping events {@code source} is the internal and {@code
 * destination} the external endpoint; {@code reason} is set only for drops.
 */
public record SimTraceEvent(
        Instant at,
        Kind kind,
        String node,
        InetSocketAddress source,
        InetSocketAddress destination,
        int size,
        DropReason reason) {

    public enum Kind {
        SENT,
        DELIVERED,
        DROPPED,
        DUPLICATED,
        /** A NAT rewrote the source of an outbound packet. */
        NAT_OUT,
        /** A NAT rewrote the destination of an inbound packet. */
        NAT_IN,
        MAPPING_CREATED,
        MAPPING_EXPIRED
    }

    @Override
    public String toString() {
        return at + " " + kind + (reason == null ? "" : "(" + reason + ")") + " @" + node + " " + source + " -> "
                + destination + (size >= 0 ? " " + size + " B" : "");
    }
}
