package io.rtc4j.turn;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Consumer;

/**
 * Relay ports held for a later Allocate with RESERVATION-TOKEN (RFC 8656 §7.2, EVEN-PORT R bit). Shared by
 * all engines of a server and synchronized: the second Allocate of an RTP/RTCP pair comes from another
 * client socket, which may land on another event loop. Bounded, so authenticated clients cannot pin every
 * port. Entries are kept in insertion order, which is expiry order as every reservation lives equally long.
 */
public final class RelayReservations {
    /** Reserved ports held at once. */
    public static final int MAX_RESERVATIONS = 1024;

    private record Reservation(RelayEndpoint relay, Instant expiry) {}

    private final LinkedHashMap<Long, Reservation> byToken = new LinkedHashMap<>();

    synchronized boolean hasRoom() {
        return byToken.size() < MAX_RESERVATIONS;
    }

    /** Holds {@code relay} under {@code token}; false when the token is taken (the caller draws again). */
    synchronized boolean put(long token, RelayEndpoint relay, Instant expiry) {
        return byToken.putIfAbsent(token, new Reservation(relay, expiry)) == null;
    }

    /**
     * Removes and returns the endpoint reserved under {@code token}, or null when there is none. An entry that
     * expired but was not swept yet is handed to {@code close} and null is returned (508 to the client).
     */
    synchronized RelayEndpoint take(long token, Instant now, Consumer<RelayEndpoint> close) {
        Reservation r = byToken.remove(token);
        if (r == null) {
            return null;
        }
        if (!r.expiry().isAfter(now)) {
            close.accept(r.relay());
            return null;
        }
        return r.relay();
    }

    /** Hands every reservation due at {@code now} to {@code close}. */
    synchronized void expire(Instant now, Consumer<RelayEndpoint> close) {
        for (Iterator<Reservation> it = byToken.values().iterator(); it.hasNext(); ) {
            Reservation r = it.next();
            if (r.expiry().isAfter(now)) {
                return; // and so do all later ones
            }
            it.remove();
            close.accept(r.relay());
        }
    }

    /** The earliest expiry, or null; O(1), as engines ask after every input. */
    synchronized Instant nextExpiry() {
        Iterator<Reservation> it = byToken.values().iterator();
        return it.hasNext() ? it.next().expiry() : null;
    }

    public synchronized int size() {
        return byToken.size();
    }
}
