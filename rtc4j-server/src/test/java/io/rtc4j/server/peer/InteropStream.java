package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelMessage;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The byte stream both the page and Java generate for the large transfers (byte i = 131 i + 7 (i >> 16) +
 * (i >> 24) mod 256, as in peer-interop.js), its SHA-256, and a flow-controlled sender for it.
 */
final class InteropStream {
    static final long MIB = 1L << 20;

    private InteropStream() {}

    static void fill(long off, byte[] b, int n) {
        for (int k = 0; k < n; k++) {
            long i = off + k;
            b[k] = (byte) (i * 131 + (i >>> 16) * 7 + (i >>> 24));
        }
    }

    static String sha256Hex(long total) {
        MessageDigest md = sha256();
        byte[] b = new byte[65536];
        for (long off = 0; off < total; off += b.length) {
            int n = (int) Math.min(b.length, total - off);
            fill(off, b, n);
            md.update(b, 0, n);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages of one channel, in arrival order (set before the channel can receive). */
    static BlockingQueue<RtcDataChannelMessage> inbox(RtcDataChannel ch) {
        BlockingQueue<RtcDataChannelMessage> q = new LinkedBlockingQueue<>();
        ch.onMessage(q::add);
        return q;
    }

    /** Sends {@code total} bytes of the stream in {@code size}-byte binary messages, bufferedAmount under 8 MiB. */
    static void send(RtcDataChannel ch, long total, int size, long deadlineNanos) throws InterruptedException {
        Semaphore low = new Semaphore(0);
        ch.setBufferedAmountLowThreshold(2 * MIB);
        ch.onBufferedAmountLow(low::release);
        byte[] b = new byte[size];
        for (long off = 0; off < total; ) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalStateException("timeout after " + off + " bytes");
            }
            if (ch.bufferedAmount() > 8 * MIB) {
                low.drainPermits();
                if (ch.bufferedAmount() > 2 * MIB) {
                    low.tryAcquire(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                }
                continue;
            }
            int n = (int) Math.min(size, total - off);
            fill(off, b, n);
            ch.send(n == size ? b : java.util.Arrays.copyOf(b, n));
            off += n;
        }
    }
}
