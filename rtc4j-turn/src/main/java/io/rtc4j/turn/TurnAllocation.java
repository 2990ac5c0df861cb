package io.rtc4j.turn;

import io.rtc4j.stun.AddressFamily;
import io.rtc4j.stun.TransactionId;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;

/** One allocation's state (RFC 8656 §2.2, §5). Owned by one engine; not thread-safe. */
final class TurnAllocation {
    /**
     * Peer addresses one allocation may hold permissions for (RFC 8656 §10.2: 508 at a capacity limit).
     * WebRTC clients need a handful; the bound keeps one authenticated client from growing the engine.
     */
    static final int MAX_PERMISSIONS = 1024;

    final FiveTuple tuple;
    final String username;
    final String quotaKey;
    final byte[] key;
    final RelayEndpoint relay4; // null when the allocation has no IPv4 relay
    final RelayEndpoint relay6; // null when the allocation has no IPv6 relay
    final TransactionId allocateTransaction;
    final byte[] allocateResponse; // resent for a retransmitted Allocate (RFC 8656 §7.2)
    final BandwidthLimiter toPeerLimiter;
    final BandwidthLimiter toClientLimiter;
    final ChannelTable channels = new ChannelTable();
    private final Map<InetAddress, Instant> permissions = new HashMap<>(4);
    Instant expiry;
    Instant scheduled; // the deadline queued for this allocation, to recognise stale queue entries

    TurnAllocation(
            FiveTuple tuple,
            String username,
            String quotaKey,
            byte[] key,
            RelayEndpoint relay4,
            RelayEndpoint relay6,
            TransactionId allocateTransaction,
            byte[] allocateResponse,
            long maxBytesPerSecond,
            Instant expiry) {
        this.tuple = tuple;
        this.username = username;
        this.quotaKey = quotaKey;
        this.key = key;
        this.relay4 = relay4;
        this.relay6 = relay6;
        this.allocateTransaction = allocateTransaction;
        this.allocateResponse = allocateResponse;
        this.toPeerLimiter = new BandwidthLimiter(maxBytesPerSecond);
        this.toClientLimiter = new BandwidthLimiter(maxBytesPerSecond);
        this.expiry = expiry;
    }

    RelayEndpoint relayFor(InetAddress peer) {
        return AddressFamily.of(peer) == AddressFamily.IPV4 ? relay4 : relay6;
    }

    boolean hasFamily(AddressFamily family) {
        return (family == AddressFamily.IPV4 ? relay4 : relay6) != null;
    }

    /** RFC 8656 §9: permissions are per IP address, ports do not matter. */
    boolean permits(InetAddress peer, Instant now) {
        Instant until = permissions.get(peer);
        return until != null && until.isAfter(now);
    }

    /** True if permitting {@code peers} too would stay within {@link #MAX_PERMISSIONS}. */
    boolean hasRoomFor(Collection<InetAddress> peers) {
        int added = 0;
        for (InetAddress p : new HashSet<>(peers)) {
            if (!permissions.containsKey(p)) {
                added++;
            }
        }
        return permissions.size() + added <= MAX_PERMISSIONS;
    }

    void permit(InetAddress peer, Instant until) {
        permissions.put(peer, until);
    }

    /** Drops expired permissions and channels; returns the next time something here expires. */
    Instant sweep(Instant now) {
        Instant next = expiry;
        for (Iterator<Instant> it = permissions.values().iterator(); it.hasNext(); ) {
            Instant until = it.next();
            if (!until.isAfter(now)) {
                it.remove();
            } else if (until.isBefore(next)) {
                next = until;
            }
        }
        Instant channel = channels.sweep(now);
        return channel != null && channel.isBefore(next) ? channel : next;
    }

    int permissionCount() {
        return permissions.size();
    }
}
