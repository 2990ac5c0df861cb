package io.rtc4j.turn;

import io.rtc4j.stun.AttributeType;
import io.rtc4j.stun.Data;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorPeerAddress;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The TURN server (RFC 8656) as a sans-IO engine: client datagrams or framed stream messages, peer datagrams
 * and time go in; datagrams to clients and peers, allocation events and the next deadline come out. It opens
 * relay addresses through a {@link RelayAllocator} and never touches a socket, a thread or a clock.
 *
 * <p>Not thread-safe: one driver thread owns an engine. Several engines (one per event loop) may share the
 * thread-safe policies (authenticator, nonces, quotas, peer policy).
 */
public final class TurnServerEngine {
    /** The largest UDP payload over IPv4 (65535 - 20 - 8) and over IPv6 (65535 - 8, no jumbograms). */
    static final int MAX_UDP_PAYLOAD_V4 = 65_507;
    static final int MAX_UDP_PAYLOAD_V6 = 65_527;

    private final TurnServerContext ctx;
    private final TurnRequestHandler requests;
    private final Map<FiveTuple, TurnAllocation> byTuple = new HashMap<>();
    private final Map<RelayEndpoint, TurnAllocation> byRelay = new IdentityHashMap<>();
    private final PriorityQueue<Deadline> deadlines = new PriorityQueue<>();
    private final ArrayDeque<TurnOutput> outputs = new ArrayDeque<>();
    private static final MessageType DATA_INDICATION =
            new MessageType(StunMethod.DATA, StunClass.INDICATION);
    private final ByteBuffer scratch = ByteBuffer.allocate(StunCodec.MAX_MESSAGE_LENGTH + 64);

    private record Deadline(Instant at, TurnAllocation allocation) implements Comparable<Deadline> {
        @Override
        public int compareTo(Deadline o) {
            return at.compareTo(o.at);
        }
    }

    public TurnServerEngine(TurnServerContext context) {
        this.ctx = context;
        this.requests = new TurnRequestHandler(context, this);
    }

    public TurnMetrics metrics() {
        return ctx.metrics();
    }

    /** Number of live allocations in this engine. */
    public int allocationCount() {
        return byTuple.size();
    }

    /**
     * A datagram (UDP) or one framed message (TCP/TLS, see {@link ChannelData#frameLength}) from a client.
     * The buffer is read between its position and limit and may be modified in place.
     */
    public void handleClientInput(Instant now, FiveTuple from, ByteBuffer in) {
        if (ChannelData.isChannelData(in)) {
            channelDataFromClient(now, from, in);
            return;
        }
        if (!StunCodec.isStun(in)) {
            if (!LegacyStun.answerBinding(in, from, ctx, outputs)) {
                ctx.metrics().drop(DropReason.NOT_STUN_OR_CHANNEL_DATA);
            }
            return;
        }
        StunMessage msg;
        try {
            msg = StunCodec.decode(in);
        } catch (StunParseException e) {
            ctx.metrics().drop(DropReason.MALFORMED);
            return;
        }
        switch (msg.messageClass()) {
            case REQUEST -> requests.handle(now, from, msg);
            case INDICATION -> indication(now, from, msg);
            default -> ctx.metrics().drop(DropReason.UNEXPECTED_CLASS);
        }
    }

    /** A datagram that arrived at {@code relay} from {@code peer} (RFC 8656 §11.3, §12.5). */
    public void handlePeerInput(Instant now, RelayEndpoint relay, InetSocketAddress peer, ByteBuffer in) {
        TurnAllocation a = byRelay.get(relay);
        if (a != null && !a.expiry.isAfter(now)) {
            delete(a, TurnOutput.DeleteReason.EXPIRED); // due, and its timer has not run yet
            a = null;
        }
        if (a == null) {
            ctx.metrics().drop(DropReason.NO_ALLOCATION);
            return;
        }
        if (!a.permits(peer.getAddress(), now)) {
            ctx.metrics().drop(DropReason.NO_PERMISSION);
            return;
        }
        int length = in.remaining();
        int channel = a.channels.channelOf(peer, now);
        boolean stream = a.tuple.transport().isStream();
        // what the client gets must fit its framing (16-bit lengths) and, over UDP, one datagram; else the
        // encoder would overflow or the driver's send would fail
        int limit = stream ? StunCodec.MAX_MESSAGE_LENGTH : maxUdpPayload(a.tuple.client().getAddress());
        if (framedLength(length, channel >= 0, stream, peer.getAddress()) > limit) {
            ctx.metrics().drop(DropReason.TOO_LARGE);
            return;
        }
        if (!a.toClientLimiter.tryConsume(nanos(now), length)) {
            ctx.metrics().drop(DropReason.BANDWIDTH_LIMIT);
            return;
        }
        ByteBuffer out;
        if (channel >= 0) {
            out = channelDataFor(channel, in, stream);
        } else {
            out = dataIndication(peer, in);
        }
        ctx.metrics().relayedToClient(length);
        outputs.add(new TurnOutput.ToClient(a.tuple, out));
    }

    /**
     * A Data indication (RFC 8656 §11.3) in the engine's scratch buffer: header and XOR-PEER-ADDRESS through
     * the codec, then DATA written straight from the payload, without the copies a DATA record would cost.
     */
    private ByteBuffer dataIndication(InetSocketAddress peer, ByteBuffer payload) {
        ByteBuffer out = scratch();
        StunMessage head = StunMessage.builder(DATA_INDICATION, TransactionId.random(ctx.random()))
                .add(new XorPeerAddress(peer))
                .build();
        StunCodec.encode(head, out, StunProtection.NONE);
        int length = payload.remaining();
        out.putShort((short) AttributeType.DATA).putShort((short) length).put(payload.duplicate());
        for (int pad = (4 - (length & 3)) & 3; pad > 0; pad--) {
            out.put((byte) 0);
        }
        out.putShort(2, (short) (out.position() - StunCodec.HEADER_LENGTH));
        return out.flip();
    }

    /**
     * The peer payload framed as ChannelData. When the driver left headroom in front of the payload (it reads
     * peer datagrams at offset 4), the header is written in place and nothing is copied.
     */
    private ByteBuffer channelDataFor(int channel, ByteBuffer in, boolean pad) {
        int length = in.remaining();
        int padding = pad ? (4 - (length & 3)) & 3 : 0;
        if (!in.isReadOnly() && in.position() >= ChannelData.HEADER_LENGTH
                && in.capacity() - in.limit() >= padding) {
            int start = in.position() - ChannelData.HEADER_LENGTH;
            // widen the limit first: an absolute put beyond the limit throws, even within the capacity
            ByteBuffer out = in.duplicate().limit(in.limit() + padding).position(start);
            out.putShort(start, (short) channel).putShort(start + 2, (short) length);
            for (int i = 0; i < padding; i++) {
                out.put(in.limit() + i, (byte) 0);
            }
            return out;
        }
        ByteBuffer out = ByteBuffer.allocate(ChannelData.HEADER_LENGTH + length + padding);
        ChannelData.encode(channel, in, out, pad);
        return out.flip();
    }

    // RFC 8656 §12.4: ChannelData from the client goes to the bound peer
    private void channelDataFromClient(Instant now, FiveTuple from, ByteBuffer in) {
        TurnAllocation a = allocation(from, now);
        if (a == null) {
            ctx.metrics().drop(DropReason.NO_ALLOCATION);
            return;
        }
        int p = in.position();
        int channel = in.getShort(p) & 0xFFFF;
        int length = in.getShort(p + 2) & 0xFFFF;
        if (length > in.remaining() - ChannelData.HEADER_LENGTH) {
            ctx.metrics().drop(DropReason.MALFORMED);
            return;
        }
        InetSocketAddress peer = a.channels.peerOf(channel, now);
        if (peer == null) {
            ctx.metrics().drop(DropReason.CHANNEL_NOT_BOUND);
            return;
        }
        ByteBuffer payload = in.duplicate().position(p + ChannelData.HEADER_LENGTH).limit(p + ChannelData.HEADER_LENGTH + length);
        toPeer(now, a, peer, payload);
    }

    // RFC 8656 §10.2: a Send indication's DATA goes to XOR-PEER-ADDRESS if a permission exists
    private void indication(Instant now, FiveTuple from, StunMessage msg) {
        if (!msg.method().equals(StunMethod.SEND)) {
            ctx.metrics().drop(DropReason.UNEXPECTED_CLASS);
            return;
        }
        if (!msg.unknownComprehensionRequired().isEmpty()) {
            ctx.metrics().drop(DropReason.UNKNOWN_ATTRIBUTE_IN_INDICATION);
            return;
        }
        TurnAllocation a = allocation(from, now);
        if (a == null) {
            ctx.metrics().drop(DropReason.NO_ALLOCATION);
            return;
        }
        XorPeerAddress peer = msg.getOrNull(XorPeerAddress.class);
        Data data = msg.getOrNull(Data.class);
        if (peer == null || data == null) {
            ctx.metrics().drop(DropReason.MISSING_ATTRIBUTE);
            return;
        }
        toPeer(now, a, peer.address(), data.value().asReadOnlyBuffer());
    }

    /** The size of {@code length} payload bytes as ChannelData or as a Data indication (RFC 8656 §11.3, §12.5). */
    private static long framedLength(int length, boolean channel, boolean stream, InetAddress peer) {
        long padded = (length + 3L) & ~3;
        if (channel) {
            return length > 0xFFFF ? Long.MAX_VALUE : ChannelData.HEADER_LENGTH + (stream ? padded : length);
        }
        int peerAddress = 4 + (peer instanceof Inet4Address ? 8 : 20); // XOR-PEER-ADDRESS
        return StunCodec.HEADER_LENGTH + peerAddress + 4 + padded; // + DATA
    }

    private static int maxUdpPayload(InetAddress to) {
        return to instanceof Inet4Address ? MAX_UDP_PAYLOAD_V4 : MAX_UDP_PAYLOAD_V6;
    }

    private void toPeer(Instant now, TurnAllocation a, InetSocketAddress peer, ByteBuffer payload) {
        if (!a.permits(peer.getAddress(), now)) {
            ctx.metrics().drop(DropReason.NO_PERMISSION);
            return;
        }
        RelayEndpoint relay = a.relayFor(peer.getAddress());
        if (relay == null) {
            ctx.metrics().drop(DropReason.PEER_FAMILY_MISMATCH);
            return;
        }
        if (payload.remaining() > maxUdpPayload(peer.getAddress())) {
            ctx.metrics().drop(DropReason.TOO_LARGE); // a Send indication over TCP can carry more than UDP can
            return;
        }
        if (!a.toPeerLimiter.tryConsume(nanos(now), payload.remaining())) {
            ctx.metrics().drop(DropReason.BANDWIDTH_LIMIT);
            return;
        }
        ctx.metrics().relayedToPeer(payload.remaining());
        outputs.add(new TurnOutput.ToPeer(relay, peer, payload));
    }

    /** Expires allocations, permissions, channels and reservations that are due. */
    public void handleTimeout(Instant now) {
        requests.expireReservations(now);
        Deadline d;
        while ((d = deadlines.peek()) != null && !d.at.isAfter(now)) {
            deadlines.poll();
            TurnAllocation a = d.allocation;
            if (isStale(d)) {
                continue; // superseded by another schedule, or already deleted
            }
            a.scheduled = null;
            if (!a.expiry.isAfter(now)) {
                delete(a, TurnOutput.DeleteReason.EXPIRED);
            } else {
                schedule(a, a.sweep(now));
            }
        }
    }

    /** The client's TCP/TLS connection closed: its allocation goes with it (RFC 8656 §3.1). */
    public void handleConnectionClosed(Instant now, FiveTuple tuple) {
        TurnAllocation a = byTuple.get(tuple);
        if (a != null) {
            delete(a, TurnOutput.DeleteReason.CONNECTION_CLOSED);
        }
    }

    /** Deletes every allocation (graceful shutdown), releasing ports and quotas. */
    public void close(Instant now) {
        for (TurnAllocation a : new ArrayList<>(byTuple.values())) {
            delete(a, TurnOutput.DeleteReason.SHUTDOWN);
        }
        deadlines.clear(); // all stale now
        requests.expireReservations(Instant.MAX);
    }

    /** The next output; {@link TurnOutput.Timeout} when there is nothing else to do. */
    public TurnOutput pollOutput() {
        TurnOutput o = outputs.poll();
        if (o != null) {
            return o;
        }
        Deadline d;
        while ((d = deadlines.peek()) != null && isStale(d)) {
            deadlines.poll(); // left by a deleted or rescheduled allocation: no reason to wake the driver
        }
        Instant reservation = requests.nextReservationExpiry();
        Instant next = d == null ? Instant.MAX : d.at;
        if (reservation != null && reservation.isBefore(next)) {
            next = reservation;
        }
        return new TurnOutput.Timeout(next);
    }

    private boolean isStale(Deadline d) {
        TurnAllocation a = d.allocation;
        return !d.at.equals(a.scheduled) || byTuple.get(a.tuple) != a;
    }

    // ---- used by TurnRequestHandler ----

    /**
     * The live allocation of {@code tuple}, or null. One whose lifetime has run out is deleted here even if
     * its timer has not fired yet, so input that races the driver's timer cannot use or revive it.
     */
    TurnAllocation allocation(FiveTuple tuple, Instant now) {
        TurnAllocation a = byTuple.get(tuple);
        if (a != null && !a.expiry.isAfter(now)) {
            delete(a, TurnOutput.DeleteReason.EXPIRED);
            return null;
        }
        return a;
    }

    void add(TurnAllocation a) {
        byTuple.put(a.tuple, a);
        if (a.relay4 != null) {
            byRelay.put(a.relay4, a);
        }
        if (a.relay6 != null) {
            byRelay.put(a.relay6, a);
        }
        ctx.metrics().allocationCreated();
        schedule(a, a.expiry);
    }

    /** (Re)schedules the sweep of {@code a} at {@code at}; earlier queue entries become stale. */
    void schedule(TurnAllocation a, Instant at) {
        if (a.scheduled != null && !a.scheduled.isAfter(at)) {
            return; // an earlier sweep is queued and reschedules from the allocation's state
        }
        a.scheduled = at;
        deadlines.add(new Deadline(at, a));
    }

    void delete(TurnAllocation a, TurnOutput.DeleteReason reason) {
        byTuple.remove(a.tuple);
        a.scheduled = null; // its queued deadlines are stale now
        if (deadlines.size() > 2 * byTuple.size() + 64) {
            // stale entries would otherwise pile up (and pin deleted allocations) until their time comes
            deadlines.removeIf(this::isStale);
        }
        if (a.relay4 != null) {
            byRelay.remove(a.relay4);
            ctx.relays().close(a.relay4);
        }
        if (a.relay6 != null) {
            byRelay.remove(a.relay6);
            ctx.relays().close(a.relay6);
        }
        ctx.quotas().release(a.quotaKey);
        ctx.metrics().allocationDeleted();
        outputs.add(new TurnOutput.AllocationDeleted(a.tuple, a.username, reason));
    }

    void emit(TurnOutput o) {
        outputs.add(o);
    }

    ByteBuffer scratch() {
        return scratch.clear();
    }

    List<TurnAllocation> allocations() {
        return List.copyOf(byTuple.values());
    }

    // ---- state sizes, for tests that check nothing is left behind ----

    int relayIndexSize() {
        return byRelay.size();
    }

    int deadlineQueueSize() {
        return deadlines.size();
    }

    int reservationCount() {
        return requests.reservationCount();
    }

    static long nanos(Instant now) {
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
