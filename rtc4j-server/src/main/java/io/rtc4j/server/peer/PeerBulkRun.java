package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcDataChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bulk mode: {@code total} bytes as binary messages with bufferedAmount flow control (W3C: send while below a
 * high-water mark, then wait for bufferedamountlow), then {@code END}; the peer answers the byte count.
 */
final class PeerBulkRun {
    static final long HIGH_WATER = 8L << 20;
    static final long LOW_WATER = 2L << 20;

    private final RtcDataChannel ch;
    private final long total;
    private final int msgSize;
    private final long deadline;
    private final Semaphore low = new Semaphore(0);
    private final BlockingQueue<String> replies = new ArrayBlockingQueue<>(4);

    PeerBulkRun(RtcDataChannel ch, long total, int msgSize, long deadline) {
        this.ch = ch;
        this.total = total;
        this.msgSize = msgSize;
        this.deadline = deadline;
        ch.setBufferedAmountLowThreshold(LOW_WATER);
        ch.onBufferedAmountLow(low::release);
        ch.onMessage(m -> replies.offer(m.binary() ? "<binary " + m.data().length + ">" : m.text()));
    }

    void run(PeerOfferCommand.PeerResult r) throws InterruptedException {
        byte[] chunk = new byte[msgSize];
        for (int k = 0; k < chunk.length; k++) {
            chunk[k] = (byte) (k * 7);
        }
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            if (ch.bufferedAmount() > HIGH_WATER) {
                low.drainPermits();
                if (ch.bufferedAmount() > LOW_WATER
                        && !low.tryAcquire(PeerOfferCommand.remaining(deadline).toMillis(), TimeUnit.MILLISECONDS)) {
                    r.fail("bufferedAmount stayed above " + LOW_WATER + " until the timeout, after " + sent + " bytes");
                    return;
                }
                continue;
            }
            int n = (int) Math.min(msgSize, total - sent);
            ch.send(n == chunk.length ? chunk : java.util.Arrays.copyOf(chunk, n));
            sent += n;
            if (System.nanoTime() > deadline) {
                r.fail("timeout after sending " + sent + " bytes");
                return;
            }
        }
        ch.send("END");
        String reply = replies.poll(PeerOfferCommand.remaining(deadline).toMillis(), TimeUnit.MILLISECONDS);
        r.secs = (System.nanoTime() - start) / 1e9;
        if (reply == null) {
            r.fail("no byte count before the timeout");
            return;
        }
        try {
            r.bytes = Long.parseLong(reply.trim());
        } catch (NumberFormatException e) {
            r.fail("the reply to END is not a decimal count: " + reply);
            return;
        }
        if (r.bytes != sent) {
            r.fail("the peer counted " + r.bytes + " bytes, sent " + sent);
        }
    }
}
