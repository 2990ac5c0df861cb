package io.rtc4j.ice.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remote 5-tuple to owner, bounded: at most {@code capacity} entries (the least recently used goes first) and
 * entries idle for {@code idleTimeout} expire. Loop thread only.
 */
final class SourceTable<V> {
    private static final class Entry<V> {
        final V value;
        Instant lastSeen;

        Entry(V value, Instant lastSeen) {
            this.value = value;
            this.lastSeen = lastSeen;
        }
    }

    private final int capacity;
    private final Duration idleTimeout;
    private final LinkedHashMap<InetSocketAddress, Entry<V>> map;
    private long evicted;

    SourceTable(int capacity, Duration idleTimeout) {
        this.capacity = capacity;
        this.idleTimeout = idleTimeout;
        this.map = new LinkedHashMap<>(16, 0.75f, true); // access order: the eldest is the least recently used
    }

    /** The owner of {@code source}, refreshing it; null when unknown or expired. */
    V get(InetSocketAddress source, Instant now) {
        Entry<V> e = map.get(source);
        if (e == null) {
            return null;
        }
        if (expired(e, now)) {
            map.remove(source);
            return null;
        }
        e.lastSeen = now;
        return e.value;
    }

    void put(InetSocketAddress source, V value, Instant now) {
        Entry<V> e = map.get(source);
        if (e != null && e.value == value) {
            e.lastSeen = now;
            return;
        }
        map.put(source, new Entry<>(value, now));
        if (map.size() > capacity) {
            Iterator<Map.Entry<InetSocketAddress, Entry<V>>> it = map.entrySet().iterator();
            it.next();
            it.remove();
            evicted++;
        }
    }

    /** Drops expired entries from the least recently used end; bounded by the table size. */
    void expire(Instant now) {
        Iterator<Map.Entry<InetSocketAddress, Entry<V>>> it = map.entrySet().iterator();
        while (it.hasNext()) {
            if (!expired(it.next().getValue(), now)) {
                return; // everything after was used more recently
            }
            it.remove();
        }
    }

    void removeValue(V value) {
        map.values().removeIf(e -> e.value == value);
    }

    int size() {
        return map.size();
    }

    long evicted() {
        return evicted;
    }

    private boolean expired(Entry<V> e, Instant now) {
        return Duration.between(e.lastSeen, now).compareTo(idleTimeout) >= 0;
    }
}
