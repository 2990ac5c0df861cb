package io.rtc4j.turn.client;

import io.rtc4j.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's permissions (RFC 8656 §9, per peer IP) and channel bindings (§12, per peer transport address),
 * each with the time it is next refreshed. Channel numbers are drawn from 0x4000-0x4FFF (RFC 8656 §12) and
 * not reused within one allocation. Not thread-safe.
 */
final class TurnPeers {
    static final int FIRST_CHANNEL = 0x4000;
    static final int LAST_CHANNEL = 0x4FFF;

    static final class Permission {
        final InetAddress peer;
        boolean installed; // a success response came (CreatePermission or ChannelBind)
        TransactionId pending; // the CreatePermission in flight, or null
        Instant refreshAt; // null while a request is in flight or before the first success

        Permission(InetAddress peer) {
            this.peer = peer;
        }
    }

    static final class Channel {
        final int number;
        final InetSocketAddress peer;
        boolean bound; // a success response came: ChannelData may be sent (RFC 8656 §12.1)
        TransactionId pending;
        Instant refreshAt;

        Channel(int number, InetSocketAddress peer) {
            this.number = number;
            this.peer = peer;
        }
    }

    private final Map<InetAddress, Permission> permissions = new HashMap<>();
    private final Map<InetSocketAddress, Channel> channels = new HashMap<>();
    private final Channel[] byNumber = new Channel[LAST_CHANNEL - FIRST_CHANNEL + 1];
    private int nextChannel = FIRST_CHANNEL;

    Permission permission(InetAddress peer) {
        return permissions.get(peer);
    }

    Permission addPermission(InetAddress peer) {
        return permissions.computeIfAbsent(peer, Permission::new);
    }

    void removePermission(InetAddress peer) {
        permissions.remove(peer);
    }

    Channel channel(InetSocketAddress peer) {
        return channels.get(peer);
    }

    /** The channel with {@code number}, bound or being bound, or null. */
    Channel channel(int number) {
        int i = number - FIRST_CHANNEL;
        return i >= 0 && i < byNumber.length ? byNumber[i] : null;
    }

    /** A new channel towards {@code peer}, or null when all 4096 numbers have been used. */
    Channel addChannel(InetSocketAddress peer) {
        if (nextChannel > LAST_CHANNEL) {
            return null;
        }
        Channel c = new Channel(nextChannel++, peer);
        channels.put(peer, c);
        byNumber[c.number - FIRST_CHANNEL] = c;
        return c;
    }

    void removeChannel(Channel c) {
        channels.remove(c.peer, c);
        byNumber[c.number - FIRST_CHANNEL] = null;
    }

    /** Channels towards any port of {@code peer}. */
    List<Channel> channelsOf(InetAddress peer) {
        List<Channel> list = new ArrayList<>(1);
        for (Channel c : channels.values()) {
            if (c.peer.getAddress().equals(peer)) {
                list.add(c);
            }
        }
        return list;
    }

    List<Permission> permissionsDue(Instant now) {
        List<Permission> due = new ArrayList<>(1);
        for (Permission p : permissions.values()) {
            if (p.refreshAt != null && !p.refreshAt.isAfter(now)) {
                due.add(p);
            }
        }
        return due;
    }

    List<Channel> channelsDue(Instant now) {
        List<Channel> due = new ArrayList<>(1);
        for (Channel c : channels.values()) {
            if (c.refreshAt != null && !c.refreshAt.isAfter(now)) {
                due.add(c);
            }
        }
        return due;
    }

    /** The earliest refresh time, or {@link Instant#MAX}. */
    Instant nextRefresh() {
        Instant next = Instant.MAX;
        for (Permission p : permissions.values()) {
            if (p.refreshAt != null && p.refreshAt.isBefore(next)) {
                next = p.refreshAt;
            }
        }
        for (Channel c : channels.values()) {
            if (c.refreshAt != null && c.refreshAt.isBefore(next)) {
                next = c.refreshAt;
            }
        }
        return next;
    }

    void clear() {
        permissions.clear();
        channels.clear();
        java.util.Arrays.fill(byNumber, null);
    }
}
