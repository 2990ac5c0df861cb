package io.rtc4j.stun;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The client side of STUN transactions (RFC 8489 §6.2) as a sans-IO engine: a table of outstanding requests
 * keyed by transaction id. {@link #start} queues the first transmission; {@link #handleTimeout} retransmits
 * over UDP (§6.2.1) or gives up after Ti over TCP/TLS (§6.2.2); {@link #handleResponse} matches a response by
 * transaction id and ends its transaction. After every call drain {@link #pollOutput()} until it returns a
 * {@link StunTransactionOutput.Timeout}.
 *
 * <p>A response nobody waits for is ignored and counted, never an exception: {@link #duplicateResponses()}
 * for one whose transaction already ended (answered, timed out or cancelled, remembered for one timeout
 * span), {@link #unmatchedResponses()} for anything else.
 *
 * <p>Time is whatever the caller passes as {@code now}. Not thread-safe: one driver owns the table.
 */
public final class StunTransactions {
    /** Ended transactions remembered to tell a duplicate response from an unmatched one. */
    private static final int RECENT_LIMIT = 256;

    private final StunRetransmission defaults;
    private final Map<TransactionId, Entry> outstanding = new LinkedHashMap<>();
    private final LinkedHashMap<TransactionId, Instant> recent = new LinkedHashMap<>(); // id -> forget at
    private final ArrayDeque<StunTransactionOutput> outputs = new ArrayDeque<>();
    private long transmissions;
    private long retransmissions;
    private long timeouts;
    private long duplicates;
    private long unmatched;

    private static final class Entry {
        final TransactionId id;
        final StunMethod method;
        final byte[] request;
        final StunRetransmission policy;
        int sent;
        Duration interval; // until the next retransmission (UDP), doubling
        Instant deadline;

        Entry(TransactionId id, StunMethod method, byte[] request, StunRetransmission policy) {
            this.id = id;
            this.method = method;
            this.request = request;
            this.policy = policy;
        }
    }

    /** A table for UDP with the RFC 8489 defaults (RTO 500 ms, Rc 7, Rm 16). */
    public StunTransactions() {
        this(StunRetransmission.udp());
    }

    /** @param defaults the policy of {@link #start(Instant, byte[])}: per transport, or ICE's own pacing */
    public StunTransactions(StunRetransmission defaults) {
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    public StunRetransmission defaults() {
        return defaults;
    }

    /** Starts a transaction for an encoded request with the default policy; returns its transaction id. */
    public TransactionId start(Instant now, byte[] request) {
        return start(now, request, defaults);
    }

    /**
     * Starts a transaction for an encoded request and queues its first transmission. The table keeps {@code
     * request} for retransmissions: do not modify it afterwards.
     *
     * @throws IllegalArgumentException if {@code request} is not a STUN request, or its transaction id is
     *     already outstanding (RFC 8489 §6.2: a new transaction needs a new id)
     */
    public TransactionId start(Instant now, byte[] request, StunRetransmission policy) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(policy, "policy");
        ByteBuffer b = ByteBuffer.wrap(request);
        if (!StunCodec.isStun(b)) {
            throw new IllegalArgumentException("not an encoded STUN message");
        }
        MessageType type = MessageType.decode(b.getShort(0) & 0xFFFF);
        if (type.messageClass() != StunClass.REQUEST) {
            throw new IllegalArgumentException("only requests make transactions, not " + type);
        }
        TransactionId id = TransactionId.read(b.position(8));
        if (outstanding.containsKey(id)) {
            throw new IllegalArgumentException("transaction " + id + " is already outstanding");
        }
        Entry e = new Entry(id, type.method(), request, policy);
        outstanding.put(id, e);
        recent.remove(id);
        transmit(e);
        switch (policy) {
            case StunRetransmission.Unreliable u -> {
                e.interval = u.rto();
                e.deadline = now.plus(u.rc() == 1 ? u.rto().multipliedBy(u.rm()) : u.rto());
            }
            case StunRetransmission.Reliable r -> e.deadline = now.plus(r.ti());
        }
        return id;
    }

    /**
     * Offers a received message. A success or error response to an outstanding transaction of the same method
     * ends it and queues {@link StunTransactionOutput.ResponseReceived}; returns true then. Anything else is
     * counted and ignored (false).
     */
    public boolean handleResponse(Instant now, StunMessage response) {
        StunClass c = response.messageClass();
        Entry e = outstanding.get(response.transactionId());
        if (e == null || !(c == StunClass.SUCCESS_RESPONSE || c == StunClass.ERROR_RESPONSE)
                || !e.method.equals(response.method())) {
            if (e == null && recent.containsKey(response.transactionId())) {
                duplicates++;
            } else {
                unmatched++;
            }
            return false;
        }
        end(now, e);
        outputs.add(new StunTransactionOutput.ResponseReceived(response));
        return true;
    }

    /** Retransmits what is due and times out what has waited long enough. */
    public void handleTimeout(Instant now) {
        List<Entry> due = null;
        for (Entry e : outstanding.values()) {
            if (!e.deadline.isAfter(now)) {
                if (due == null) {
                    due = new ArrayList<>(2);
                }
                due.add(e);
            }
        }
        if (due == null) {
            return;
        }
        for (Entry e : due) {
            if (e.policy instanceof StunRetransmission.Unreliable u && e.sent < u.rc()) {
                // RFC 8489 §6.2.1: retransmit, doubling the interval; after the last, wait Rm * RTO
                transmit(e);
                retransmissions++;
                e.interval = e.interval.multipliedBy(2);
                Duration wait = e.sent == u.rc() ? u.rto().multipliedBy(u.rm()) : e.interval;
                Instant next = e.deadline.plus(wait); // from the schedule, so a late timer does not drift it
                e.deadline = next.isAfter(now) ? next : now.plus(wait);
            } else {
                end(now, e);
                timeouts++;
                outputs.add(new StunTransactionOutput.TimedOut(e.id));
            }
        }
    }

    /** Forgets an outstanding transaction without any output; returns false if it was not outstanding. */
    public boolean cancel(Instant now, TransactionId id) {
        Entry e = outstanding.get(id);
        if (e == null) {
            return false;
        }
        end(now, e);
        return true;
    }

    public boolean isOutstanding(TransactionId id) {
        return outstanding.containsKey(id);
    }

    public int outstandingCount() {
        return outstanding.size();
    }

    /** The next output; a {@link StunTransactionOutput.Timeout} when there is nothing else to do. */
    public StunTransactionOutput pollOutput() {
        StunTransactionOutput o = outputs.poll();
        return o != null ? o : new StunTransactionOutput.Timeout(nextDeadline());
    }

    /** The earliest retransmission or timeout, {@link Instant#MAX} when nothing is outstanding. */
    public Instant nextDeadline() {
        Instant next = Instant.MAX;
        for (Entry e : outstanding.values()) {
            if (e.deadline.isBefore(next)) {
                next = e.deadline;
            }
        }
        return next;
    }

    /** Requests sent, first transmissions and retransmissions. */
    public long transmissions() {
        return transmissions;
    }

    public long retransmissions() {
        return retransmissions;
    }

    public long timeouts() {
        return timeouts;
    }

    /** Responses to transactions that had already ended (a duplicate, or one that came too late). */
    public long duplicateResponses() {
        return duplicates;
    }

    /** Responses matching no transaction known to this table, or not responses at all. */
    public long unmatchedResponses() {
        return unmatched;
    }

    private void transmit(Entry e) {
        e.sent++;
        transmissions++;
        outputs.add(new StunTransactionOutput.Transmit(e.id, ByteBuffer.wrap(e.request)));
    }

    private void end(Instant now, Entry e) {
        outstanding.remove(e.id);
        // keep the id for one timeout span (bounded), to count late or duplicate responses as such
        for (Iterator<Map.Entry<TransactionId, Instant>> it = recent.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TransactionId, Instant> r = it.next();
            if (recent.size() < RECENT_LIMIT && r.getValue().isAfter(now)) {
                break; // insertion order is roughly expiry order: the rest is younger
            }
            it.remove();
        }
        recent.put(e.id, now.plus(e.policy.timeout()));
    }
}
