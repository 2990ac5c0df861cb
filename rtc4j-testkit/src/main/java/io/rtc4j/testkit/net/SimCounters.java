package io.rtc4j.testkit.net;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Packet counters of one node or of the whole network. For a host, {@code sent} counts datagrams its sockets sent
 * and {@code delivered} datagrams its sockets received; for a NAT, packets it translated outwards and inwards.
 * Drops are counted where they happen: on the node whose link or box dropped the packet (a realm with no route
 * charges the node that handed the packet to it), and always in the network total.
 */
public final class SimCounters {
    private long sent;
    private long delivered;
    private long duplicated;
    private final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);

    SimCounters() {}

    void addSent() {
        sent++;
    }

    void addDelivered() {
        delivered++;
    }

    void addDuplicated() {
        duplicated++;
    }

    void addDropped(DropReason reason) {
        drops.merge(reason, 1L, Long::sum);
    }

    public long sent() {
        return sent;
    }

    public long delivered() {
        return delivered;
    }

    /** Extra copies made by link duplication. */
    public long duplicated() {
        return duplicated;
    }

    public long dropped(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    public long dropped() {
        long n = 0;
        for (long v : drops.values()) {
            n += v;
        }
        return n;
    }

    /** Drops by reason, only reasons that occurred, in enum order. */
    public Map<DropReason, Long> drops() {
        return Collections.unmodifiableMap(new EnumMap<>(drops));
    }

    @Override
    public String toString() {
        return "sent=" + sent + " delivered=" + delivered + " duplicated=" + duplicated + " dropped=" + drops;
    }
}
