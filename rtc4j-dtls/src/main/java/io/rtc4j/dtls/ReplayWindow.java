package io.rtc4j.dtls;

/**
 * RFC 6347 §4.1.2.6 anti-replay: a record is accepted once, and only if it is newer than the newest seen or within
 * the last {@link #SIZE} sequence numbers. A ring of bits indexed by sequence number; only authenticated records
 * are {@link #mark}ed. 256 wide, as BoringSSL's, so a burst reordered on the way is not mistaken for replays.
 */
final class ReplayWindow {
    static final int SIZE = 256;

    private final long[] seen = new long[SIZE / 64];
    private long newest = -1;

    boolean isFresh(long seq) {
        if (seq > newest) {
            return true;
        }
        return newest - seq < SIZE && !bit(seq);
    }

    void mark(long seq) {
        if (seq > newest) {
            long advance = seq - newest;
            if (advance >= SIZE) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long s = newest + 1; s < seq; s++) {
                    clear(s); // numbers skipped over have not been seen
                }
            }
            newest = seq;
        }
        int i = (int) (seq & (SIZE - 1));
        seen[i >>> 6] |= 1L << (i & 63);
    }

    private boolean bit(long seq) {
        int i = (int) (seq & (SIZE - 1));
        return (seen[i >>> 6] & (1L << (i & 63))) != 0;
    }

    private void clear(long seq) {
        int i = (int) (seq & (SIZE - 1));
        seen[i >>> 6] &= ~(1L << (i & 63));
    }
}
