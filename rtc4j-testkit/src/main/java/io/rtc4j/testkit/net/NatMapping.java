package io.rtc4j.testkit.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One NAT binding, internal endpoint to external port, with the filter state that goes with it: when the inside
 * last sent to each remote address and each remote endpoint. Each permission lapses on its own after the mapping
 * timeout, like a conntrack flow, so keepalives to a STUN server do not keep a hole to a peer open.
 */
final class NatMapping {
    /** What the mapping depends on (RFC 4787 §4.1): remote fields are null/0 where the behaviour ignores them. */
    record Key(InetSocketAddress internal, InetAddress remoteIp, int remotePort) {
        static Key of(NatBehavior mapping, InetSocketAddress internal, InetSocketAddress remote) {
            return switch (mapping) {
                case ENDPOINT_INDEPENDENT -> new Key(internal, null, 0);
                case ADDRESS_DEPENDENT -> new Key(internal, remote.getAddress(), 0);
                case ADDRESS_AND_PORT_DEPENDENT -> new Key(internal, remote.getAddress(), remote.getPort());
            };
        }
    }

    final Key key;
    final InetSocketAddress internal;
    final InetSocketAddress external;
    private Instant refreshed;
    private final Map<InetAddress, Instant> sentToAddress = new HashMap<>();
    private final Map<InetSocketAddress, Instant> sentToEndpoint = new HashMap<>();

    NatMapping(Key key, InetSocketAddress external, Instant now) {
        this.key = key;
        this.internal = key.internal();
        this.external = external;
        this.refreshed = now;
    }

    boolean expired(Instant now, Duration timeout) {
        return !now.isBefore(refreshed.plus(timeout));
    }

    /** RFC 4787 §4.3, REQ-6: outbound traffic refreshes the mapping, and opens the filter towards {@code to}. */
    void outbound(InetSocketAddress to, Instant now) {
        refreshed = now;
        sentToAddress.put(to.getAddress(), now);
        sentToEndpoint.put(to, now);
    }

    /** §4.3: inbound refresh is optional ("MAY"); it refreshes the mapping and the permission the packet used. */
    void inboundRefresh(InetSocketAddress from, Instant now) {
        refreshed = now;
        sentToAddress.computeIfPresent(from.getAddress(), (k, v) -> now);
        sentToEndpoint.computeIfPresent(from, (k, v) -> now);
    }

    /** RFC 4787 §5: may a packet from {@code from} pass to the internal endpoint? */
    boolean permits(NatBehavior filtering, InetSocketAddress from, Instant now, Duration timeout) {
        Instant last =
                switch (filtering) {
                    case ENDPOINT_INDEPENDENT -> now;
                    case ADDRESS_DEPENDENT -> sentToAddress.get(from.getAddress());
                    case ADDRESS_AND_PORT_DEPENDENT -> sentToEndpoint.get(from);
                };
        return last != null && now.isBefore(last.plus(timeout));
    }

    SimNatMapping snapshot() {
        InetSocketAddress remote = key.remoteIp() == null ? null : new InetSocketAddress(key.remoteIp(), key.remotePort());
        return new SimNatMapping(internal, external, remote, refreshed);
    }
}
