package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Abort;
import io.rtc4j.sctp.SctpChunk.CookieAck;
import io.rtc4j.sctp.SctpChunk.CookieEcho;
import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.Heartbeat;
import io.rtc4j.sctp.SctpChunk.HeartbeatAck;
import io.rtc4j.sctp.SctpChunk.Init;
import io.rtc4j.sctp.SctpChunk.InitAck;
import io.rtc4j.sctp.SctpChunk.OperationError;
import io.rtc4j.sctp.SctpChunk.ReConfig;
import io.rtc4j.sctp.SctpChunk.Sack;
import io.rtc4j.sctp.SctpChunk.Shutdown;
import io.rtc4j.sctp.SctpChunk.ShutdownAck;
import io.rtc4j.sctp.SctpChunk.ShutdownComplete;
import io.rtc4j.sctp.SctpChunk.Unknown;
import io.rtc4j.sctp.SctpEvent.AssociationClosed;
import io.rtc4j.sctp.SctpEvent.AssociationEstablished;
import io.rtc4j.sctp.SctpEvent.PacketDropped;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * One SCTP association over DTLS (RFC 9260, RFC 8261), sans-IO: feed it the SCTP packets that DTLS decrypted with
 * {@link #handleInput}, call {@link #handleTimeout} at the deadline, and after each call drain {@link #pollOutput}
 * until it returns a {@link SctpOutput.Timeout}. Either side may {@link #connect}; simultaneous INITs, as WebRTC
 * peers do, meet in one association (RFC 9260 §5.2.1). Not thread-safe: one driver owns it.
 */
public final class SctpAssociation {
    /** RFC 9260 §4 states. */
    public enum State { CLOSED, COOKIE_WAIT, COOKIE_ECHOED, ESTABLISHED, SHUTDOWN_PENDING, SHUTDOWN_SENT,
        SHUTDOWN_RECEIVED, SHUTDOWN_ACK_SENT }

    /** RFC 9260 §6.1 D: at most Max.Burst (4) packets of DATA per event, so a big cumulative ack cannot
     * dump a window into the bottleneck queue at once (measured: that burst caused a second loss episode). */
    static final int MAX_BURST = 4;

    final SctpConfig config;
    private final RandomGenerator random;
    private final SctpHandshake handshake;
    private final SctpShutdown gracefulShutdown;
    private final SctpHeartbeats heartbeats;
    private final SctpDataPath dataPath;
    final SctpRto rto;
    private final ArrayDeque<SctpOutput> outputs = new ArrayDeque<>();
    final int localTag;
    final int initialTsn;
    State state = State.CLOSED;
    private boolean terminated;
    int peerTag;
    SctpCookie.State peer;
    SctpSender sender;
    SctpReceiver receiver;
    final SctpStreamReset resets;
    private boolean peerZeroChecksum;
    private int errors;
    private long dropped;
    private long packetsSent;
    private long packetsReceived;

    // timers (null: not running)
    private boolean shutdownRequested;

    public SctpAssociation(SctpConfig config, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        int tag;
        do {
            tag = random.nextInt();
        } while (tag == 0); // RFC 9260 §5.3.1: never zero
        this.localTag = tag;
        this.initialTsn = random.nextInt();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.handshake = new SctpHandshake(this, config, secret);
        this.gracefulShutdown = new SctpShutdown(this);
        this.heartbeats = new SctpHeartbeats(this, random);
        this.dataPath = new SctpDataPath(this, config);
        this.rto = new SctpRto(config.rtoInitial(), config.rtoMin(), config.rtoMax());
        this.resets = new SctpStreamReset(this, initialTsn);
    }

    // ---- API ----------------------------------------------------------------------------------------------

    /** Sends INIT (RFC 9260 §5.1 A). A passive side need not call this: it answers the peer's INIT. */
    public void connect(Instant now) {
        if (state != State.CLOSED || terminated) {
            throw new IllegalStateException("connect in state " + state);
        }
        handshake.connect(now);
    }

    /**
     * Queues one message. The array is not copied: do not change it afterwards. Throws when the association is
     * not open, the message is empty or larger than the peer's max-message-size, or the send queue is full.
     */
    public void send(Instant now, int streamId, int ppid, byte[] data, SctpSendOptions options) {
        Objects.requireNonNull(options, "options");
        if (state != State.ESTABLISHED) {
            throw new IllegalStateException("cannot send in state " + state);
        }
        if (streamId < 0 || streamId >= peer.peerInboundStreams() || streamId >= config.streams()) {
            throw new IllegalArgumentException("no such outgoing stream: " + streamId);
        }
        if (data.length == 0) {
            throw new IllegalArgumentException("SCTP carries no empty messages (RFC 9260 §6.2)");
        }
        int max = config.remoteMaxMessageSize();
        if (max > 0 && data.length > max) {
            throw new IllegalArgumentException("message of " + data.length + " bytes exceeds the peer's "
                    + "max-message-size " + max);
        }
        if (resets.resetting(streamId)) {
            throw new IllegalStateException("stream " + streamId + " is being reset");
        }
        sender.enqueue(streamId, ppid, data, options, now);
        flush(now);
    }

    /** Resets these outgoing streams (RFC 6525 §5.1.2) once their queued messages are sent. */
    public void resetStreams(Instant now, List<Integer> streamIds) {
        if (state != State.ESTABLISHED) {
            throw new IllegalStateException("cannot reset streams in state " + state);
        }
        if (!peer.peerReconfig()) {
            throw new IllegalStateException("the peer does not support RE-CONFIG");
        }
        resets.request(streamIds);
        flush(now);
    }

    public long bufferedAmount(int streamId) {
        return sender == null ? 0 : sender.bufferedAmount(streamId);
    }

    /** A {@link SctpEvent.BufferedAmountLow} follows when the stream's queue falls from above to at most this. */
    public void setBufferedAmountLowThreshold(int streamId, long bytes) {
        if (sender == null) {
            throw new IllegalStateException("not established");
        }
        sender.setLowThreshold(streamId, bytes);
    }

    /** Graceful shutdown (RFC 9260 §9.2) after all queued data is acknowledged. */
    public void shutdown(Instant now) {
        switch (state) {
            case ESTABLISHED -> {
                state = State.SHUTDOWN_PENDING;
                flush(now);
            }
            case CLOSED, COOKIE_WAIT, COOKIE_ECHOED -> close(AssociationClosed.Reason.SHUTDOWN_COMPLETED,
                    "shut down before established");
            default -> {}
        }
    }

    /** Sends ABORT (RFC 9260 §9.1) and ends the association at once. */
    public void abort(Instant now, String reason) {
        if (terminated) {
            return;
        }
        if (peerTag != 0) {
            sendControl(now, new Abort(false, List.of(SctpErrorCause.of(SctpErrorCause.USER_INITIATED_ABORT,
                    reason))), peerTag);
        }
        close(AssociationClosed.Reason.ABORTED_LOCALLY, reason);
    }

    public State state() {
        return state;
    }

    /** Inputs ignored so far (each also reported as {@link PacketDropped}). */
    public long droppedCount() {
        return dropped;
    }

    public long packetsSent() {
        return packetsSent;
    }

    public long packetsReceived() {
        return packetsReceived;
    }

    /** Congestion window in bytes (0 before established). */
    public long congestionWindow() {
        return sender == null ? 0 : sender.cwnd();
    }

    /** Smoothed RTT, or null before the first measurement. */
    /**
     * The sender's state for getStats (W3C RTCSctpTransportStats, plus loss-recovery counters); zeros before the
     * association is up.
     */
    public SctpSenderStats senderStats() {
        if (sender == null) {
            return new SctpSenderStats(0, 0, config.mtu(), 0, 0, 0, 0);
        }
        return new SctpSenderStats(sender.cwnd(), sender.peerRwnd(), config.mtu(), sender.unacknowledgedChunks(),
                sender.fastRetransmits(), sender.lostRetransmissions(), sender.t3Expirations());
    }

    public Duration smoothedRtt() {
        return rto.srttNanos() < 0 ? null : Duration.ofNanos(rto.srttNanos());
    }

    public SctpOutput pollOutput() {
        SctpOutput o = outputs.poll();
        return o != null ? o : new SctpOutput.Timeout(deadline());
    }

    // ---- input --------------------------------------------------------------------------------------------

    public void handleInput(Instant now, byte[] packet) {
        handleInput(now, packet, 0, packet.length);
    }

    public void handleInput(Instant now, byte[] packet, int offset, int length) {
        if (terminated) {
            drop("association closed");
            return;
        }
        SctpPacket p;
        try {
            // RFC 9653: a zero checksum is accepted only once both sides announced the alternate method
            p = SctpCodec.decode(packet, offset, length,
                    config.zeroChecksum() && peer != null && peer.peerZeroChecksum());
        } catch (SctpParseException e) {
            drop("malformed packet: " + e.getMessage());
            return;
        }
        if (p.destinationPort() != config.localPort() || p.sourcePort() != config.remotePort()) {
            drop("wrong ports " + p.sourcePort() + "->" + p.destinationPort());
            return;
        }
        if (!tagAccepted(p)) {
            drop("bad verification tag");
            return;
        }
        packetsReceived++;
        boolean data = false;
        for (SctpChunk c : p.chunks()) {
            if (terminated) {
                break;
            }
            if (c instanceof Data d) {
                data |= dataPath.onData(d);
            } else if (c instanceof Unknown u) {
                if (u.report()) {
                    reportUnknown(now, u);
                }
                if (!u.skip()) {
                    drop("unknown chunk type " + u.type() + ": rest of packet discarded");
                    break;
                }
            } else {
                onControl(now, p, c);
            }
        }
        if (data && !terminated) {
            dataPath.afterData(now);
        }
        if (!terminated) {
            flush(now);
        }
    }

    private boolean tagAccepted(SctpPacket p) {
        SctpChunk first = p.chunks().get(0);
        int tag = p.verificationTag();
        return switch (first) {
            // RFC 9260 §8.5.1: INIT alone with tag 0; T-bit chunks carry the peer's own tag
            case Init i -> tag == 0 && p.chunks().size() == 1;
            case Abort a -> a.tagReflected() ? peerTag != 0 && tag == peerTag : tag == localTag;
            case ShutdownComplete s -> s.tagReflected() ? peerTag != 0 && tag == peerTag : tag == localTag;
            default -> tag == localTag;
        };
    }

    private void onControl(Instant now, SctpPacket p, SctpChunk c) {
        switch (c) {
            case Init i -> handshake.onInit(now, i.body());
            case InitAck a -> handshake.onInitAck(now, a.body());
            case CookieEcho e -> handshake.onCookieEcho(now, e);
            case CookieAck a -> {
                if (state == State.COOKIE_ECHOED) {
                    established(now);
                }
            }
            case Sack s -> {
                if (sender != null && sender.onSack(now, s)) {
                    errors = 0;
                }
            }
            case ForwardTsn f -> {
                if (receiver != null) {
                    receiver.onForwardTsn(f.newCumulativeTsn(), f.streams());
                    dataPath.sackSoon(); // RFC 3758 §3.6: acknowledge the new cumulative TSN
                    resets.onCumulativeTsn(now);
                }
            }
            case Heartbeat h -> sendControl(now, new HeartbeatAck(h.info()), peerTag);
            case HeartbeatAck h -> heartbeats.onAck(now, h);
            case ReConfig r -> {
                if (receiver != null) {
                    resets.onReConfig(now, r);
                }
            }
            case Abort a -> close(AssociationClosed.Reason.ABORTED_BY_PEER, describe(a.causes()));
            case OperationError e -> {
                for (SctpErrorCause cause : e.causes()) {
                    if (cause.code() == SctpErrorCause.STALE_COOKIE && state == State.COOKIE_ECHOED) {
                        close(AssociationClosed.Reason.FAILED, "peer reported a stale cookie");
                    }
                }
            }
            case Shutdown s -> onShutdown(now, s);
            case ShutdownAck s -> gracefulShutdown.onShutdownAck(now);
            case ShutdownComplete s -> gracefulShutdown.onShutdownComplete();
            case Data d -> throw new AssertionError();
            case Unknown u -> throw new AssertionError();
        }
    }

    // ---- setup (RFC 9260 §5): see SctpHandshake -------------------------------------------------------------

    void established(Instant now) {
        handshake.stop();
        state = State.ESTABLISHED;
        peerZeroChecksum = config.zeroChecksum() && peer.peerZeroChecksum();
        sender = new SctpSender(config, rto, id -> outputs.add(new SctpEvent.BufferedAmountLow(id)));
        sender.start(initialTsn, peer.peerRwnd(), peer.peerForwardTsn());
        receiver = new SctpReceiver(peer.peerInitialTsn(), config.receiveBufferBytes(), config.maxMessageSize(),
                config.mtu(), outputs::add);
        resets.start(peer.peerInitialTsn());
        heartbeats.idleFrom(now);
        int out = Math.min(config.streams(), peer.peerInboundStreams());
        int in = Math.min(config.streams(), peer.peerOutboundStreams());
        outputs.add(new AssociationEstablished(out, in, peer.peerForwardTsn(), peer.peerReconfig()));
    }

    /** Sends what is due (see {@link SctpDataPath#flush}), then lets a pending shutdown move on. */
    private void flush(Instant now) {
        if (terminated || receiver == null) {
            return;
        }
        dataPath.flush(now);
        gracefulShutdown.progress(now);
    }

    /** One bundled packet from the data path. */
    void packetSent(Instant now, List<SctpChunk> chunks) {
        heartbeats.onSent(now);
        transmit(chunks, peerTag);
    }

    // ---- shutdown (RFC 9260 §9.2) -------------------------------------------------------------------------

    private void onShutdown(Instant now, Shutdown s) {
        if (sender == null) {
            return;
        }
        // §9.2: SHUTDOWN carries a cumulative TSN ack; the peer's window is unchanged by it
        if (sender.onSack(now, new Sack(s.cumulativeTsnAck(), Math.min(0xFFFF_FFFFL, sender.peerRwnd()
                + sender.flight()), List.of(), List.of()))) {
            errors = 0;
        }
        gracefulShutdown.onShutdown(now);
    }

    // ---- timers -------------------------------------------------------------------------------------------

    private Instant deadline() {
        if (terminated) {
            return Instant.MAX;
        }
        Instant d = min(handshake.deadline(), gracefulShutdown.deadline());
        d = min(d, dataPath.deadline());
        if (sender != null) {
            d = min(d, sender.t3Deadline());
            d = min(d, heartbeats.deadline());
            d = min(d, resets.deadline());
        }
        return d == null ? Instant.MAX : d;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isBefore(b) ? a : b);
    }

    private static boolean due(Instant t, Instant now) {
        return t != null && !t.isAfter(now);
    }

    public void handleTimeout(Instant now) {
        if (terminated) {
            return;
        }
        if (handshake.onTimeout(now)) {
            return;
        }
        if (gracefulShutdown.onTimeout(now)) {
            return;
        }
        dataPath.onTimeout(now);
        if (sender != null && due(sender.t3Deadline(), now)) {
            sender.onT3Expired(now);
            if (countError(now, "retransmission limit reached")) {
                return;
            }
        }
        if (sender != null && due(heartbeats.deadline(), now)) {
            heartbeats.onTimer(now);
        }
        if (sender != null && due(resets.deadline(), now)) {
            resets.onTimer(now);
            if (countError(now, "stream reset unanswered")) {
                return;
            }
        }
        flush(now);
    }

    /** A SACK that advanced, or a heartbeat answer: the peer is reachable (§8.1). */
    void resetErrors() {
        errors = 0;
    }

    /** §8.1: too many consecutive timeouts end the association. */
    boolean countError(Instant now, String why) {
        if (++errors > config.maxRetransmissions()) {
            abortWith(now, SctpErrorCause.NO_USER_DATA, why);
            outputs.removeLast();
            outputs.add(new AssociationClosed(AssociationClosed.Reason.FAILED, why));
            return true;
        }
        return false;
    }

    // ---- output -------------------------------------------------------------------------------------------

    void sendControl(Instant now, SctpChunk c, int tag) {
        transmit(List.of(c), tag);
    }

    private void transmit(List<SctpChunk> chunks, int tag) {
        boolean zero = peerZeroChecksum;
        for (SctpChunk c : chunks) {
            // RFC 9653 §5.2: INIT and COOKIE ECHO always carry a CRC32c
            if (c instanceof Init || c instanceof CookieEcho) {
                zero = false;
            }
        }
        byte[] b = SctpCodec.encode(new SctpPacket(config.localPort(), config.remotePort(), tag, chunks), zero);
        packetsSent++;
        outputs.add(new SctpOutput.Transmit(b));
    }

    void emit(SctpEvent e) {
        outputs.add(e);
    }

    void drop(String reason) {
        dropped++;
        outputs.add(new PacketDropped(reason));
    }

    private void reportUnknown(Instant now, Unknown u) {
        if (peerTag == 0) {
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(4 + u.value().length);
        b.put((byte) u.type()).put((byte) u.flags()).putShort((short) (4 + u.value().length)).put(u.value());
        sendControl(now, new OperationError(List.of(new SctpErrorCause(SctpErrorCause.UNRECOGNIZED_CHUNK_TYPE,
                b.array()))), peerTag);
    }

    void abortWith(Instant now, int cause, String reason) {
        if (peerTag != 0) {
            sendControl(now, new Abort(false, List.of(SctpErrorCause.of(cause, reason))), peerTag);
        }
        close(AssociationClosed.Reason.ABORTED_LOCALLY, reason);
    }

    void close(AssociationClosed.Reason reason, String detail) {
        if (terminated) {
            return;
        }
        terminated = true;
        state = State.CLOSED;
        handshake.stop();
        gracefulShutdown.stop();
        heartbeats.stop();
        dataPath.stop();
        outputs.add(new AssociationClosed(reason, detail));
    }

    private static String describe(List<SctpErrorCause> causes) {
        StringBuilder sb = new StringBuilder("ABORT");
        for (SctpErrorCause c : causes) {
            sb.append(" cause ").append(c.code());
            if (c.code() == SctpErrorCause.USER_INITIATED_ABORT || c.code() == SctpErrorCause.PROTOCOL_VIOLATION) {
                sb.append(": ").append(new String(c.info(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    boolean peerSupportsReconfig() {
        return peer != null && peer.peerReconfig();
    }

    long localNextTsn() {
        return sender.nextTsn();
    }
}
