package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.GapBlock;
import java.util.Arrays;
import java.util.List;

/**
 * The sender's record of gap-acknowledged TSNs above the cumulative ack point (RFC 9260 §6.2.1): sorted, disjoint
 * ranges of absolute (unwrapped) TSNs. A SACK's gap blocks become the difference against the previous state, so the
 * sender touches only the TSNs whose state changes: {@link #added()} (newly gap-acked) and {@link #removed()}
 * (reneged: no longer reported although below the highest reported TSN). Gap blocks from the wire are sanitized
 * (unsorted, overlapping, reversed, zero-based or beyond the next TSN); nothing here throws on peer input.
 * Cost per SACK: O(gap blocks + ranges held), plus a sort only when the peer sent the blocks out of order.
 */
final class SctpGapScoreboard {

    /** Sorted disjoint inclusive ranges; appends merge with the last range when they touch or overlap. */
    static final class Ranges {
        private long[] starts = new long[8];
        private long[] ends = new long[8];
        private int count;

        int count() {
            return count;
        }

        long start(int i) {
            return starts[i];
        }

        long end(int i) {
            return ends[i];
        }

        void clear() {
            count = 0;
        }

        /** Appends [a, b]; a must not precede the last range's start. */
        void append(long a, long b) {
            if (count > 0 && a <= ends[count - 1] + 1) {
                ends[count - 1] = Math.max(ends[count - 1], b);
                return;
            }
            if (count == starts.length) {
                starts = Arrays.copyOf(starts, count * 2);
                ends = Arrays.copyOf(ends, count * 2);
            }
            starts[count] = a;
            ends[count] = b;
            count++;
        }

        /** Number of TSNs covered. */
        long size() {
            long n = 0;
            for (int i = 0; i < count; i++) {
                n += ends[i] - starts[i] + 1;
            }
            return n;
        }
    }

    private Ranges acked = new Ranges();
    private Ranges incoming = new Ranges();
    private final Ranges added = new Ranges();
    private final Ranges removed = new Ranges();
    private long[] keys = new long[16];

    /** Gap-acked TSNs now held (valid after {@link #update}). */
    Ranges acked() {
        return acked;
    }

    /** TSNs the last {@link #update} newly gap-acked. */
    Ranges added() {
        return added;
    }

    /** TSNs the last {@link #update} un-acked (peer reneged). */
    Ranges removed() {
        return removed;
    }

    /**
     * Applies one SACK. {@code cum} is its (already validated) cumulative TSN ack, {@code nextTsn} one past the
     * highest TSN sent. Like the chunk-by-chunk walk it replaces: TSNs in the blocks become acked; acked TSNs missing
     * from the blocks but below the highest reported TSN become unacked; acked TSNs above it stay as they were.
     */
    void update(List<GapBlock> gaps, long cum, long nextTsn) {
        added.clear();
        removed.clear();
        if (gaps.isEmpty()) {
            dropThrough(cum); // nothing reported: nothing newly acked, nothing below a highest TSN to renege
            return;
        }
        long highest = sanitize(gaps, cum, nextTsn);
        dropThrough(cum);
        subtract(incoming, acked, Long.MIN_VALUE, Long.MAX_VALUE, added);
        subtract(acked, incoming, cum + 1, highest - 1, removed);
        // New state: the blocks, plus what was acked above the highest reported TSN.
        Ranges next = acked;
        acked = incoming;
        incoming = next;
        for (int i = 0; i < next.count(); i++) {
            long a = Math.max(next.start(i), highest + 1);
            if (a <= next.end(i)) {
                acked.append(a, next.end(i));
            }
        }
        incoming.clear();
    }

    /** Forgets TSNs at or below the cumulative ack point (the sender removed those chunks). */
    void dropThrough(long cum) {
        int i = 0;
        while (i < acked.count && acked.ends[i] <= cum) {
            i++;
        }
        if (i > 0) {
            System.arraycopy(acked.starts, i, acked.starts, 0, acked.count - i);
            System.arraycopy(acked.ends, i, acked.ends, 0, acked.count - i);
            acked.count -= i;
        }
        if (acked.count > 0 && acked.starts[0] <= cum) {
            acked.starts[0] = cum + 1;
        }
    }

    /** Fills {@link #incoming} with the blocks as absolute TSNs in (cum, nextTsn); returns the highest reported TSN. */
    private long sanitize(List<GapBlock> gaps, long cum, long nextTsn) {
        incoming.clear();
        int n = gaps.size();
        if (keys.length < n) {
            keys = new long[Math.max(n, keys.length * 2)];
        }
        long highest = cum;
        int valid = 0;
        boolean sorted = true;
        for (int i = 0; i < n; i++) {
            GapBlock g = gaps.get(i);
            int start = Math.max(g.start(), 1); // offsets count from cum + 1 (RFC 9260 §3.3.4)
            if (start > g.end()) {
                continue;
            }
            highest = Math.max(highest, cum + g.end());
            long key = ((long) start << 16) | g.end(); // both are u16
            if (valid > 0 && key < keys[valid - 1]) {
                sorted = false;
            }
            keys[valid++] = key;
        }
        if (!sorted) {
            Arrays.sort(keys, 0, valid);
        }
        for (int i = 0; i < valid; i++) {
            long a = cum + (keys[i] >>> 16);
            long b = Math.min(cum + (keys[i] & 0xFFFF), nextTsn - 1);
            if (a <= b) {
                incoming.append(a, b);
            }
        }
        return highest;
    }

    /** out = (x \ y) ∩ [lo, hi]; both inputs sorted and disjoint; O(|x| + |y|). */
    static void subtract(Ranges x, Ranges y, long lo, long hi, Ranges out) {
        int j = 0;
        for (int i = 0; i < x.count(); i++) {
            long cur = Math.max(x.start(i), lo);
            long b = Math.min(x.end(i), hi);
            while (j < y.count() && y.end(j) < cur) {
                j++;
            }
            for (int k = j; cur <= b; k++) {
                if (k < y.count() && y.start(k) <= b) {
                    if (y.start(k) > cur) {
                        out.append(cur, y.start(k) - 1);
                    }
                    cur = Math.max(cur, y.end(k) + 1);
                } else {
                    out.append(cur, b);
                    break;
                }
            }
        }
    }
}
