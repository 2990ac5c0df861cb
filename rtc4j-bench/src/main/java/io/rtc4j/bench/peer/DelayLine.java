package io.rtc4j.bench.peer;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * One direction of {@link DelayRelay} without I/O: a FIFO ring of preallocated datagram slots, each with the time
 * it is due. Arrivals pass the random loss, then the bottleneck's drop-tail queue (a token bucket in virtual time,
 * GCRA), then wait the fixed delay. Departure times never decrease (constant delay, FIFO bottleneck), so the ring
 * stays in due order and one head check per round is the whole scheduler. Time is a caller-supplied nanosecond
 * counter (System.nanoTime in the relay, plain numbers in tests). Not thread-safe: one thread owns it; the
 * counters are volatile so that another thread may read them.
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
    private int head;
    private int tail;
    private int size;
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
        scratchHandedOut = size == slots;
        ByteBuffer b = scratchHandedOut ? scratch : slot[tail];
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
        if (shape.loss() > 0 && random.nextDouble() < shape.loss()) {
            lost++;
            return Verdict.LOST;
        }
        long departure = now;
        if (shape.bottleneck()) {
            long start = tatSet && tat - now > 0 ? tat : now;
            long waiting = start - now - burstNanos; // time the bytes already queued still need
            long backlog = waiting > 0 ? (long) (waiting * (shape.rateBitsPerSecond() / 8e9)) : 0;
            if (backlog + len > shape.queueBytes()) {
                queueDropped++;
                return Verdict.QUEUE_FULL;
            }
            tat = start + shape.serializationNanos(len);
            tatSet = true;
            long conforming = tat - burstNanos;
            departure = conforming - now > 0 ? conforming : now;
        }
        due[tail] = departure + shape.delayNanos();
        length[tail] = len;
        tail = tail + 1 == slots ? 0 : tail + 1;
        size++;
        if (size > maxOccupancy) {
            maxOccupancy = size;
        }
        accepted++;
        return Verdict.ACCEPTED;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** When the oldest datagram is due; only when not empty. */
    long headDue() {
        return due[head];
    }

    /** The oldest datagram, positioned for sending; only when not empty. */
    ByteBuffer head() {
        return slot[head].clear().limit(length[head]);
    }

    /** Removes the oldest datagram after it was sent. */
    void pop() {
        forwardedBytes += length[head];
        forwarded++;
        head = head + 1 == slots ? 0 : head + 1;
        size--;
    }
}
