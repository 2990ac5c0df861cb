package io.rtc4j.bench.peer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * One direction of {@link DelayRelay} without I/O: a FIFO ring of preallocated datagram slots, each with the time
 * it is due. Arrivals pass the random loss, then the bottleneck's drop-tail queue (a token bucket in virtual time,
 * GCRA), then wait the fixed delay. Departure times never decrease (constant delay, FIFO bottleneck), so the ring
 * stays in due order and a check of its head is the whole scheduler. Time is a caller-supplied nanosecond counter
 * (System.nanoTime in the relay, plain numbers in tests). Single producer, single consumer: one thread may call
 * {@link #receiveBuffer()}/{@link #commit} while another calls {@link #isEmpty()}/{@link #headDue()}/{@link #head()}/
 * {@link #pop()}; the volatile sequence numbers order the slot contents between them. Counters are volatile with
 * a single writer each, so any thread may read them.
 */
final class DelayLine {
    /** What became of an arrival. */
    enum Verdict { ACCEPTED, LOST, QUEUE_FULL, RING_FULL, OVERSIZE }

    private final LinkShape shape;
    private final int maxDatagram;
    private final int slots;
    private final ByteBuffer[] slot;
    private final long[] due;
    private final int[] length;
    private final ByteBuffer scratch;
    private final SplittableRandom random;
    private final long burstNanos;
    private volatile long headSeq; // written by the consumer only
    private volatile long tailSeq; // written by the producer only
    private boolean scratchHandedOut;
    private long tat; // GCRA theoretical arrival time of the next datagram at the bottleneck
    private boolean tatSet;

    volatile long accepted;
    volatile long forwarded;
    volatile long forwardedBytes;
    volatile long lost;
    volatile long queueDropped;
    volatile long ringDropped;
    volatile long oversize;
    volatile int maxOccupancy;

    /**
     * One of the first datagrams through the line: when, its length, its RFC 7983 demux fields (first byte; for a
     * DTLS record also the epoch, and the handshake type where epoch 0 leaves it readable; -1 where absent) and
     * what became of it. Enough to follow an ICE/DTLS/SCTP handshake across the emulated path.
     */
    record Traced(long at, int length, int firstByte, int epoch, int handshakeType, Verdict verdict) {}

    static final int TRACE = 256;
    private final Traced[] trace = new Traced[TRACE];
    private volatile int traced;
    private volatile int dropHandshakeType = -1;

    /**
     * @param slots datagrams the line can hold (in the queue and in flight together); more are dropped, counted
     * @param maxDatagram the largest datagram accepted; larger ones are dropped, counted
     */
    DelayLine(LinkShape shape, int slots, int maxDatagram) {
        if (slots < 1 || maxDatagram < 1 || (long) slots * (maxDatagram + 1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad ring size: " + slots + " x " + maxDatagram);
        }
        this.shape = shape;
        this.maxDatagram = maxDatagram;
        this.slots = slots;
        // one spare byte per slot: a datagram that fills it was longer than maxDatagram (the kernel truncated it)
        int stride = maxDatagram + 1;
        ByteBuffer storage = ByteBuffer.allocateDirect(slots * stride);
        this.slot = new ByteBuffer[slots];
        for (int i = 0; i < slots; i++) {
            slot[i] = storage.slice(i * stride, stride);
        }
        this.due = new long[slots];
        this.length = new int[slots];
        this.scratch = ByteBuffer.allocateDirect(stride);
        this.random = new SplittableRandom(shape.seed());
        this.burstNanos = shape.bottleneck() ? shape.serializationNanos(shape.burstBytes()) : 0;
    }

    /** The buffer to receive the next datagram into (cleared); then call {@link #commit}. */
    ByteBuffer receiveBuffer() {
        long tail = tailSeq;
        scratchHandedOut = tail - headSeq == slots;
        ByteBuffer b = scratchHandedOut ? scratch : slot[(int) (tail % slots)];
        return b.clear();
    }

    /** Decides about the datagram of {@code len} bytes just received into {@link #receiveBuffer()} at {@code now}. */
    Verdict commit(long now, int len) {
        if (scratchHandedOut) {
            scratchHandedOut = false;
            ringDropped++;
            return Verdict.RING_FULL;
        }
        if (len > maxDatagram) {
            oversize++;
            return Verdict.OVERSIZE;
        }
        if (dropHandshakeType >= 0 && dtlsHandshakeType(slot[(int) (tailSeq % slots)], len) == dropHandshakeType) {
            dropHandshakeType = -1; // once: a deterministic loss of one handshake message
            lost++;
            trace(now, len, Verdict.LOST);
            return Verdict.LOST;
        }
        if (shape.loss() > 0 && random.nextDouble() < shape.loss()) {
            lost++;
            trace(now, len, Verdict.LOST);
            return Verdict.LOST;
        }
        long departure = now;
        if (shape.bottleneck()) {
            long start = tatSet && tat - now > 0 ? tat : now;
            long waiting = start - now - burstNanos; // time the bytes already queued still need
            long backlog = waiting > 0 ? (long) (waiting * (shape.rateBitsPerSecond() / 8e9)) : 0;
            if (backlog + len > shape.queueBytes()) {
                queueDropped++;
                trace(now, len, Verdict.QUEUE_FULL);
                return Verdict.QUEUE_FULL;
            }
            tat = start + shape.serializationNanos(len);
            tatSet = true;
            long conforming = tat - burstNanos;
            departure = conforming - now > 0 ? conforming : now;
        }
        long tail = tailSeq;
        int i = (int) (tail % slots);
        due[i] = departure + shape.delayNanos();
        length[i] = len;
        trace(now, len, Verdict.ACCEPTED);
        tailSeq = tail + 1; // publishes the slot to the consumer
        int size = (int) (tail + 1 - headSeq);
        if (size > maxOccupancy) {
            maxOccupancy = size;
        }
        accepted++;
        return Verdict.ACCEPTED;
    }

    private void trace(long now, int len, Verdict v) {
        int n = traced;
        if (n >= TRACE) {
            return; // the first ones tell the story of a handshake; bounded memory
        }
        ByteBuffer b = slot[(int) (tailSeq % slots)]; // not yet published: still the producer's
        int first = len > 0 ? b.get(0) & 0xFF : -1;
        boolean dtls = first >= 20 && first <= 63 && len >= 13; // RFC 7983: DTLS
        int epoch = dtls ? b.getShort(3) & 0xFFFF : -1;
        int hs = dtlsHandshakeType(b, len);
        trace[n] = new Traced(now, len, first, epoch, hs, v);
        traced = n + 1;
    }

    /** The handshake type of an epoch-0 DTLS handshake record at the start of the datagram, else -1. */
    private static int dtlsHandshakeType(ByteBuffer b, int len) {
        return len > 13 && (b.get(0) & 0xFF) == 22 && b.getShort(3) == 0 ? b.get(13) & 0xFF : -1;
    }

    /** Drops the next datagram that starts with an epoch-0 DTLS handshake message of this type (RFC 5246 §7.4). */
    void dropNextDtlsHandshake(int type) {
        dropHandshakeType = type;
    }

    /** The first {@value #TRACE} datagrams offered to the line (any thread, after the fact). */
    java.util.List<Traced> trace() {
        return java.util.List.of(java.util.Arrays.copyOf(trace, traced));
    }

    boolean isEmpty() {
        return tailSeq == headSeq;
    }

    int size() {
        return (int) (tailSeq - headSeq);
    }

    /** When the oldest datagram is due; only when not empty. */
    long headDue() {
        return due[(int) (headSeq % slots)];
    }

    /** The oldest datagram, positioned for sending; only when not empty. */
    ByteBuffer head() {
        int i = (int) (headSeq % slots);
        return slot[i].clear().limit(length[i]);
    }

    /** Removes the oldest datagram after it was sent. */
    void pop() {
        long head = headSeq;
        forwardedBytes += length[(int) (head % slots)];
        forwarded++;
        headSeq = head + 1; // hands the slot back to the producer
    }
}
