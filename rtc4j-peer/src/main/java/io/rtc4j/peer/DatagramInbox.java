package io.rtc4j.peer;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Datagrams from the ICE driver's thread to the connection's thread in batches: the producer appends to a
 * lock-free queue and schedules one drain task only when none is pending, so a burst of thousands of datagrams
 * costs one task and one wakeup instead of one each, and the engine is pumped once per batch. Bounded: beyond
 * {@code capacity} queued datagrams new ones are dropped and counted, as a full socket buffer would drop them.
 */
final class DatagramInbox {
    /** Datagrams handled per drain task before it yields to control tasks (ICE events, API calls). */
    static final int BATCH = 256;

    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final int capacity;
    private final PeerLoop loop;
    private final Consumer<byte[]> handler;
    private final Runnable afterBatch;

    /**
     * @param handler runs on the loop thread for each datagram
     * @param afterBatch runs on the loop thread after each batch (pump the engine once)
     */
    DatagramInbox(int capacity, PeerLoop loop, Consumer<byte[]> handler, Runnable afterBatch) {
        this.capacity = capacity;
        this.loop = loop;
        this.handler = handler;
        this.afterBatch = afterBatch;
    }

    /** Any thread: queues one datagram (not copied); false, counted, when full or the loop has stopped. */
    boolean offer(byte[] datagram) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return false;
        }
        queue.add(datagram);
        schedule();
        return true;
    }

    long dropped() {
        return dropped.get();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true) && !loop.execute(this::drain)) {
            scheduled.set(false); // the loop has stopped: what is queued is never handled
        }
    }

    private void drain() {
        scheduled.set(false); // before polling: a datagram offered from now on schedules the next drain
        try {
            for (int i = 0; i < BATCH; i++) {
                byte[] d = queue.poll();
                if (d == null) {
                    return;
                }
                size.decrementAndGet();
                handler.accept(d);
            }
            if (!queue.isEmpty()) {
                schedule(); // more than a batch: let control tasks run in between
            }
        } finally {
            afterBatch.run();
        }
    }
}
