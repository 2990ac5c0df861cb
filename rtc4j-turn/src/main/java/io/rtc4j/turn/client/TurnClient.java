package io.rtc4j.turn.client;

import io.rtc4j.stun.StunTransactions;
import io.rtc4j.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The client side of TURN (RFC 8656) as a sans-IO engine, for one allocation on one server: Allocate with
 * long-term credentials, Refresh, CreatePermission, ChannelBind, data through Send/Data indications and
 * ChannelData. Bytes from the server and time go in ({@link #handleInput}, {@link #handleTimeout}); bytes for
 * the server, {@link TurnClientEvent}s and the next deadline come out of {@link #pollOutput()}. Over UDP an
 * input is one datagram; over TCP/TLS any chunk of the stream (the client reassembles frames).
 *
 * <p>The client keeps what it set up alive: the allocation is refreshed {@code refreshMargin} before it
 * expires, each permission every {@code permissionRefresh} until {@link #removePermission}, each channel
 * every {@code channelRefresh}. Malformed or unexpected input is counted ({@link #dropped}) and ignored.
 *
 * <p>Time comes only as {@code now}; transaction ids come from the injected {@link RandomGenerator}. Not
 * thread-safe: one driver owns the client.
 */
public final class TurnClient {
    private final TurnClientConfig config;
    private final RandomGenerator random;
    private final boolean stream;
    private final TurnClientAuth auth;
    private final TurnClientRequests requests;
    private final TurnPeers peers = new TurnPeers();
    private final StreamFramer framer;
    private final TurnClientInput input;
    private final ArrayDeque<TurnClientOutput> outputs = new ArrayDeque<>();
    private final long[] drops = new long[TurnClientDrop.values().length];

    private TurnClientState state = TurnClientState.IDLE;
    private List<InetSocketAddress> relayed = List.of();
    private InetSocketAddress mapped;
    private Instant expiry; // of the allocation
    private Instant refreshAt; // the next allocation Refresh; null while one is in flight

    public TurnClient(TurnClientConfig config, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.stream = config.transport().isStream();
        this.auth = new TurnClientAuth(config.username(), config.password());
        this.requests = new TurnClientRequests(this, new StunTransactions(config.retransmission()));
        this.framer = stream ? new StreamFramer() : null;
        this.input = new TurnClientInput(this, requests);
    }

    // ---- application calls ----

    /** Sends the Allocate (RFC 8656 §7.1); {@link TurnClientEvent.TurnAllocated} follows on success. */
    public void allocate(Instant now) {
        if (state != TurnClientState.IDLE) {
            throw new IllegalStateException("allocate() once, on a new client; state " + state);
        }
        state = TurnClientState.ALLOCATING;
        requests.allocate(now);
        requests.pump(now);
    }

    /**
     * Asks for a permission towards {@code peer} (RFC 8656 §9.1) and keeps it refreshed until {@link
     * #removePermission}. Nothing happens if one exists or is being made.
     */
    public void createPermission(Instant now, InetAddress peer) {
        requireAllocated();
        TurnPeers.Permission p = peers.addPermission(Objects.requireNonNull(peer, "peer"));
        if (!p.installed && p.pending == null) {
            requests.createPermission(now, p);
            requests.pump(now);
        }
    }

    /**
     * Stops refreshing the permission and the channels towards {@code peer}: the server lets them expire
     * (RFC 8656 §9: permissions cannot be deleted explicitly).
     */
    public void removePermission(Instant now, InetAddress peer) {
        for (TurnPeers.Channel c : peers.channelsOf(peer)) {
            requests.forget(now, c.pending);
            peers.removeChannel(c);
        }
        TurnPeers.Permission p = peers.permission(peer);
        if (p != null) {
            requests.forget(now, p.pending);
            peers.removePermission(peer);
        }
    }

    /**
     * Binds a channel to {@code peer} (RFC 8656 §11.1), or returns the one already bound or being bound. Data
     * to the peer goes as ChannelData once {@link TurnClientEvent.TurnChannelBound} arrives.
     *
     * @return the channel number, 0x4000-0x4FFF
     * @throws IllegalStateException when this allocation has used all 4096 channel numbers
     */
    public int bindChannel(Instant now, InetSocketAddress peer) {
        requireAllocated();
        if (Objects.requireNonNull(peer, "peer").isUnresolved()) {
            throw new IllegalArgumentException("unresolved peer " + peer);
        }
        TurnPeers.Channel c = peers.channel(peer);
        if (c != null) {
            return c.number;
        }
        c = peers.addChannel(peer);
        if (c == null) {
            throw new IllegalStateException("no channel numbers left in this allocation");
        }
        requests.channelBind(now, c);
        requests.pump(now);
        return c.number;
    }

    /**
     * Sends {@code data} to {@code peer} through the relay: ChannelData once a channel is bound (RFC 8656
     * §12.4), a Send indication before (§10.1). A peer without a permission gets one asked for first; data
     * sent before the server has installed it is dropped there (RFC 8656 §10.2), as on any lossy path.
     *
     * @throws IllegalArgumentException if the data does not fit one TURN message
     */
    public void send(Instant now, InetSocketAddress peer, ByteBuffer data) {
        requireAllocated();
        if (peer.isUnresolved()) {
            throw new IllegalArgumentException("unresolved peer " + peer);
        }
        if (peers.permission(peer.getAddress()) == null) {
            createPermission(now, peer.getAddress());
        }
        TurnPeers.Channel c = peers.channel(peer);
        ByteBuffer out = c != null && c.bound
                ? TurnClientFraming.channelData(c.number, data, stream)
                : TurnClientFraming.sendIndication(TransactionId.random(random), peer, data);
        outputs.add(new TurnClientOutput.Transmit(out));
    }

    /**
     * Deletes the allocation with a Refresh of LIFETIME 0 (RFC 8656 §8); {@link
     * TurnClientEvent.TurnAllocationEnded} with RELEASED follows. Before the allocation exists the client just
     * closes (an Allocate answered meanwhile lets the server's allocation expire on its own).
     */
    public void release(Instant now) {
        switch (state) {
            case IDLE, ALLOCATING -> end(now, TurnClientEvent.EndReason.RELEASED);
            case ALLOCATED -> {
                state = TurnClientState.RELEASING;
                requests.cancelAll(now);
                peers.clear();
                requests.release(now);
                requests.pump(now);
            }
            default -> {} // already releasing or closed
        }
    }

    // ---- driver calls ----

    /**
     * Bytes from the server: one datagram over UDP, any chunk of the stream over TCP/TLS. The buffer is read
     * between its position and limit; {@link TurnClientEvent.TurnDataReceived} may view it, so keep it until drained.
     */
    public void handleInput(Instant now, ByteBuffer in) {
        if (!stream) {
            input.frame(now, in);
        } else if (framer.broken()) {
            drop(TurnClientDrop.STREAM_CORRUPTED); // the driver should have closed the connection
            in.position(in.limit());
        } else {
            framer.append(in);
            for (ByteBuffer f; (f = framer.next()) != null; ) {
                input.frame(now, f);
            }
            if (framer.broken()) {
                drop(TurnClientDrop.STREAM_CORRUPTED);
                end(now, TurnClientEvent.EndReason.STREAM_CORRUPTED);
            }
        }
        requests.pump(now);
    }

    /**
     * The TCP/TLS connection to the server closed (end of stream, reset, TLS failure): the allocation went with
     * it (RFC 8656 §3.1), so the client ends with {@link TurnClientEvent.EndReason#CONNECTION_CLOSED}.
     *
     * @throws IllegalStateException over UDP, which has no connection
     */
    public void streamClosed(Instant now) {
        if (!stream) {
            throw new IllegalStateException("streamClosed() is for TCP/TLS clients");
        }
        end(now, TurnClientEvent.EndReason.CONNECTION_CLOSED);
    }

    /** Retransmissions, timeouts and refreshes that are due. */
    public void handleTimeout(Instant now) {
        requests.handleTimeout(now);
        if (state == TurnClientState.ALLOCATED && !expiry.isAfter(now)) {
            end(now, TurnClientEvent.EndReason.EXPIRED); // RFC 8656 §8: no successful Refresh in time
        }
        if (state == TurnClientState.ALLOCATED) {
            if (refreshAt != null && !refreshAt.isAfter(now)) {
                refreshAt = null;
                requests.refresh(now);
            }
            for (TurnPeers.Permission p : peers.permissionsDue(now)) {
                requests.createPermission(now, p);
            }
            for (TurnPeers.Channel c : peers.channelsDue(now)) {
                requests.channelBind(now, c);
            }
        }
        requests.pump(now);
    }

    /** The next output; a {@link TurnClientOutput.Timeout} when there is nothing else to do. */
    public TurnClientOutput pollOutput() {
        TurnClientOutput o = outputs.poll();
        return o != null ? o : new TurnClientOutput.Timeout(nextDeadline());
    }

    // ---- state, for the application and for tests ----

    public TurnClientState state() {
        return state;
    }

    /** The relayed transport addresses once allocated, else empty. */
    public List<InetSocketAddress> relayedAddresses() {
        return relayed;
    }

    /** The server-reflexive address the server reported, or null. */
    public InetSocketAddress mappedAddress() {
        return mapped;
    }

    /** True once the server confirmed a permission for {@code peer}. */
    public boolean hasPermission(InetAddress peer) {
        TurnPeers.Permission p = peers.permission(peer);
        return p != null && p.installed;
    }

    /** The channel bound (confirmed) to {@code peer}, or -1. */
    public int boundChannel(InetSocketAddress peer) {
        TurnPeers.Channel c = peers.channel(peer);
        return c != null && c.bound ? c.number : -1;
    }

    public long dropped(TurnClientDrop reason) {
        return drops[reason.ordinal()];
    }

    public long droppedTotal() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    /** Requests resent after 438 Stale Nonce (RFC 8489 §9.2.5). */
    public long staleNonceRetries() {
        return requests.staleNonceRetries();
    }

    /** STUN retransmissions over UDP (RFC 8489 §6.2.1). */
    public long retransmissions() {
        return requests.transactions().retransmissions();
    }

    // ---- inside the package ----

    TurnClientConfig config() {
        return config;
    }

    RandomGenerator random() {
        return random;
    }

    TurnClientAuth auth() {
        return auth;
    }

    TurnPeers peers() {
        return peers;
    }

    boolean isStream() {
        return stream;
    }

    void emit(TurnClientOutput o) {
        outputs.add(o);
    }

    void drop(TurnClientDrop reason) {
        drops[reason.ordinal()]++;
    }

    /** The Allocate succeeded (RFC 8656 §7.3). */
    void allocated(Instant now, List<InetSocketAddress> relayed, InetSocketAddress mapped, Duration lifetime) {
        this.state = TurnClientState.ALLOCATED;
        this.relayed = List.copyOf(relayed);
        this.mapped = mapped;
        scheduleRefresh(now, lifetime);
        emit(new TurnClientEvent.TurnAllocated(relayed, mapped, lifetime));
    }

    /** A Refresh succeeded (RFC 8656 §8). */
    void refreshed(Instant now, Duration lifetime) {
        if (lifetime.isZero()) {
            end(now, TurnClientEvent.EndReason.REFRESH_FAILED); // the server deleted it
            return;
        }
        scheduleRefresh(now, lifetime);
        emit(new TurnClientEvent.TurnRefreshed(lifetime));
    }

    /**
     * A Refresh failed. An error response means the server will not keep the allocation (437: it has none).
     * Without a response the client tries again while the allocation lives; at its expiry it ends.
     */
    void refreshFailed(Instant now, TurnClientEvent.Failure failure) {
        if (failure == TurnClientEvent.Failure.ERROR_RESPONSE) {
            end(now, TurnClientEvent.EndReason.REFRESH_FAILED);
        } else if (expiry.isAfter(now)) {
            refreshAt = now;
        }
    }

    // refresh refreshMargin before expiry, or halfway when the lifetime is short
    private void scheduleRefresh(Instant now, Duration lifetime) {
        expiry = now.plus(lifetime);
        Duration margin = config.refreshMargin();
        refreshAt = lifetime.compareTo(margin.multipliedBy(2)) > 0
                ? expiry.minus(margin)
                : now.plus(lifetime.dividedBy(2));
    }

    /** Ends the client: no allocation, nothing outstanding, no timers. */
    void end(Instant now, TurnClientEvent.EndReason reason) {
        if (state == TurnClientState.CLOSED) {
            return;
        }
        state = TurnClientState.CLOSED;
        requests.cancelAll(now);
        peers.clear();
        refreshAt = null;
        relayed = List.of();
        emit(new TurnClientEvent.TurnAllocationEnded(reason));
    }

    /** Data may arrive: the allocation exists (or is being released). */
    boolean hasAllocation() {
        return state == TurnClientState.ALLOCATED || state == TurnClientState.RELEASING;
    }

    private void requireAllocated() {
        if (state != TurnClientState.ALLOCATED) {
            throw new IllegalStateException("no allocation: state " + state);
        }
    }

    private Instant nextDeadline() {
        Instant next = requests.transactions().nextDeadline();
        if (state == TurnClientState.ALLOCATED) {
            next = min(next, expiry);
            if (refreshAt != null) {
                next = min(next, refreshAt);
            }
            next = min(next, peers.nextRefresh());
        }
        return next;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
