package io.rtc4j.testkit.net;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** A datagram in flight. Immutable: NATs rewrite by copying; the payload array is never changed after send. */
record SimPacket(InetSocketAddress source, InetSocketAddress destination, byte[] data) {
    /** IPv4 + UDP headers, counted against rate limits so a link carries what a real one would. */
    static final int IPV4_UDP_OVERHEAD = 28;
    /** IPv6 + UDP headers. */
    static final int IPV6_UDP_OVERHEAD = 48;

    SimPacket withSource(InetSocketAddress s) {
        return new SimPacket(s, destination, data);
    }

    SimPacket withDestination(InetSocketAddress d) {
        return new SimPacket(source, d, data);
    }

    int wireSize() {
        boolean v6 = destination.getAddress() instanceof Inet6Address;
        return data.length + (v6 ? IPV6_UDP_OVERHEAD : IPV4_UDP_OVERHEAD);
    }
}
