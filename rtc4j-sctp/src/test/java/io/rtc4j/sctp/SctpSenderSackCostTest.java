package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Loss recovery with a large window: the production sender must behave exactly like the O(window) reference
 * (lockstep) and match the protocol's expectations (RFC 9260 §6.2.1 reneging, §7.2.4 fast retransmit after three
 * miss indications, §7.2.3 one cwnd reduction), while visiting only the chunks whose state changes.
 */
class SctpSenderSackCostTest {
    private static final long RWND = 1L << 30;
    private static final byte[] MESSAGE = new byte[64 * 1024];

    /** Slow start with the window kept full until {@code target} chunks are outstanding; returns the cum ack. */
    static long load(SctpSenderLockstep l, int target) {
        ArrayDeque<Long> packetEnds = new ArrayDeque<>();
        long cum = l.sender.nextTsn() - 1;
        for (int step = 0; step < 200_000; step++) {
            while (l.sender.bufferedAmount(0) < 16L << 20) {
                l.enqueue(0, 53, MESSAGE, SctpSendOptions.RELIABLE_ORDERED);
            }
            while (!l.fill(l.fullRoom()).isEmpty()) {
                packetEnds.add(l.sender.nextTsn() - 1);
            }
            if (l.sender.nextTsn() - 1 - cum >= target) {
                return cum;
            }
            long end = packetEnds.poll();
            l.sack(new Sack((int) end, RWND, List.of(), List.of()));
            cum = end;
        }
        throw new AssertionError("window never reached " + target + " chunks");
    }

    static long unwrap(long near, int tsn) {
        return near + (int) (tsn - (int) near);
    }

    static int size(Data d) {
        return SctpCodec.padded(SctpCodec.DATA_HEADER + d.payload().length);
    }

    @Test
    void aLostFastRetransmissionIsSentAgainOnceThreeLaterChunksAreAckedNotAfterT3() {
        SctpSenderLockstep l = new SctpSenderLockstep(SctpConfig.builder().build(), 1_000, RWND, true);
        long cum = load(l, 300);
        long hole = cum + 1;
        long cwndBefore = l.sender.cwnd();
        List<Long> fences = new ArrayList<>(); // our next TSN when each copy of the hole went out
        long lastSent = l.sender.nextTsn() - 1;
        // The peer reports everything sent but the hole, one more chunk per SACK; every copy of the hole is lost.
        for (long top = cum + 2; top <= lastSent && fences.size() < 2; top++) {
            l.sack(new Sack((int) cum, RWND, List.of(new GapBlock(2, (int) (top - cum))), List.of()));
            long before = l.sender.nextTsn();
            for (Data d : l.flush()) {
                long tsn = unwrap(cum, d.tsn());
                if (tsn == hole) {
                    fences.add(before);
                    // RFC 9260 §7.2.4: the first copy after three miss indications (chunks 2, 3, 4 reported);
                    // the second once three chunks first sent after the first copy are acked
                    assertThat(top).isEqualTo(fences.size() == 1 ? cum + 4 : fences.get(0) + 2);
                }
                lastSent = Math.max(lastSent, tsn);
            }
        }
        assertThat(fences).as("the hole is sent again without T3").hasSize(2);
        assertThat(l.sender.t3Deadline()).isNotNull();
        assertThat(l.sender.lostRetransmissions()).isEqualTo(1);
        // §7.2.3: still one reduction for the window
        assertThat(l.sender.cwnd()).isEqualTo(Math.max(cwndBefore / 2, 4L * l.config.mtu()));
        // the second copy arrives: the cumulative ack jumps over everything reported
        assertThat(l.sack(new Sack((int) (cum + (lastSent - cum)), RWND, List.of(), List.of()))).isTrue();
        assertThat(l.sender.flight()).isZero();
    }

    @Test
    void holeNearHeadWithGrowingGapBlockThenReneging() {
        // The initial TSN sits just below 2^32 so the window wraps the 32-bit TSN space.
        SctpSenderLockstep l = new SctpSenderLockstep(SctpConfig.builder().build(), -1_000, RWND, true);
        long cum = load(l, 4_000);
        long hole = cum + 1;
        long firstNew = l.sender.nextTsn();
        int n = (int) (firstNew - 1 - cum);
        long cwndBefore = l.sender.cwnd();
        long visitsBefore = l.sender.chunkVisits();
        int holeSent = 0;
        int holeSentAtK = -1;
        int holeSize = 0;
        long newDataInFlight = 0;
        long lastSent = firstNew - 1;
        for (int k = 2; k <= n; k++) {
            l.sack(new Sack((int) cum, RWND, List.of(new GapBlock(2, k)), List.of()));
            for (Data d : l.flush()) {
                long tsn = unwrap(cum, d.tsn());
                if (tsn == hole) {
                    holeSent++;
                    holeSentAtK = k;
                    holeSize = size(d);
                } else {
                    assertThat(tsn).as("only the hole is retransmitted").isGreaterThanOrEqualTo(firstNew);
                    newDataInFlight += size(d);
                    lastSent = Math.max(lastSent, tsn);
                }
            }
        }
        int sacks = n - 1;
        double visitsPerSack = (l.sender.chunkVisits() - visitsBefore) / (double) sacks;
        assertThat(n).isGreaterThanOrEqualTo(4_000);
        // §7.2.4: SACKs k=2,3,4 newly ack data above the hole: the third miss indication fast-retransmits it, once.
        assertThat(holeSent).isEqualTo(1);
        assertThat(holeSentAtK).isEqualTo(4);
        // §7.2.3: one reduction, and no growth while the cumulative ack stands still.
        assertThat(l.sender.cwnd()).isEqualTo(Math.max(cwndBefore / 2, 4L * l.config.mtu()));
        assertThat(l.sender.ssthresh()).isEqualTo(l.sender.cwnd());
        // Every original chunk but the hole is gap-acked: in flight are the hole's retransmission and new data.
        assertThat(l.sender.flight()).isEqualTo(holeSize + newDataInFlight);
        // The old walk visited up to k chunks per SACK (thousands); only the changes are visited now.
        assertThat(visitsPerSack).as("chunk visits per SACK: %.2f", visitsPerSack).isLessThan(10);

        // The hole arrives; the peer reneges on 100 chunks it had reported (RFC 9260 §6.2.1) but still holds all
        // the rest, including the new data.
        long cum2 = hole;
        int renegeFrom = 1_001;
        int renegeTo = 1_100;
        List<GapBlock> gaps = List.of(new GapBlock(1, renegeFrom - 1),
                new GapBlock(renegeTo + 1, (int) (lastSent - cum2)));
        long visits2 = l.sender.chunkVisits();
        assertThat(l.sack(new Sack((int) cum2, RWND, gaps, List.of()))).isTrue();
        // Visits: the acked hole, the newly acked new data, the 100 reneged, and those 100 as holes (§7.2.4: looked
        // up, then checked) - not the thousands of chunks gap-acked before.
        assertThat(l.sender.chunkVisits() - visits2).isLessThanOrEqualTo(1 + (lastSent - firstNew + 1) + 300 + 5);
        assertThat(l.sender.flight()).as("reneged chunks are not in flight; hole and new data acked").isZero();
        // Nothing goes out for the reneged chunks until T3 (they are not marked for fast retransmit).
        TreeSet<Long> got = new TreeSet<>();
        for (long t = cum2 + 1; t <= lastSent; t++) {
            if (t < cum2 + renegeFrom || t > cum2 + renegeTo) {
                got.add(t);
            }
        }
        for (Data d : l.flush()) {
            long tsn = unwrap(cum2, d.tsn());
            assertThat(tsn).as("nothing resent before T3").isGreaterThanOrEqualTo(firstNew);
            got.add(tsn);
        }
        List<Long> retransmitted = new ArrayList<>();
        long rcvCum = cum2;
        boolean t3Fired = false;
        for (int i = 0; i < 20_000 && (rcvCum < cum2 + renegeTo || !t3Fired); i++) {
            if (!t3Fired && l.sender.t3Deadline() != null) {
                l.advance(Duration.between(l.now, l.sender.t3Deadline()));
                t3Fired = l.t3IfDue();
            }
            for (Data d : l.flush()) {
                long tsn = unwrap(rcvCum, d.tsn());
                if (tsn < firstNew) {
                    retransmitted.add(tsn);
                }
                got.add(tsn);
            }
            while (got.contains(rcvCum + 1)) {
                got.remove(++rcvCum);
            }
            l.advance(Duration.ofMillis(10));
            l.sack(sackFor(rcvCum, got));
        }
        List<Long> expected = new ArrayList<>();
        for (long t = cum2 + renegeFrom; t <= cum2 + renegeTo; t++) {
            expected.add(t);
        }
        assertThat(t3Fired).isTrue();
        assertThat(retransmitted).as("exactly the reneged TSNs, in order, once each").isEqualTo(expected);
    }

    /** The SACK a receiver holding {@code got} above {@code cum} sends (every gap block). */
    static Sack sackFor(long cum, TreeSet<Long> got) {
        return SctpSenderDifferentialTest.sack(cum, got, Integer.MAX_VALUE, RWND);
    }

    /**
     * What a well-behaved peer would have sent for the same acknowledged set: valid blocks (start >= 1 after clamping
     * a 0 start, start <= end) as sorted, merged ranges. Computed with a bit set, independently of the scoreboard.
     */
    static List<GapBlock> normalized(List<GapBlock> raw) {
        BitSet set = new BitSet(1 << 16);
        for (GapBlock g : raw) {
            int s = Math.max(1, g.start());
            if (s <= g.end()) {
                set.set(s, g.end() + 1);
            }
        }
        List<GapBlock> out = new ArrayList<>();
        for (int s = set.nextSetBit(0); s >= 0; ) {
            int e = set.nextClearBit(s) - 1;
            out.add(new GapBlock(s, e));
            s = set.nextSetBit(e + 1);
        }
        return out;
    }

    @Test
    void malformedGapBlocksActLikeTheirSanitizedForm() {
        SplittableRandom rnd = new SplittableRandom(42);
        SctpSenderLockstep l = new SctpSenderLockstep(SctpConfig.builder().build(), 7, RWND, true);
        long cum = load(l, 600);
        for (int i = 0; i < 3_000; i++) {
            long outstanding = l.sender.nextTsn() - 1 - cum;
            List<GapBlock> raw = new ArrayList<>();
            int blocks = i == 1_000 ? 10_000 : rnd.nextInt(12);
            for (int b = 0; b < blocks; b++) {
                int s;
                int e;
                switch (rnd.nextInt(6)) {
                    case 0 -> { // reversed
                        e = rnd.nextInt((int) outstanding + 1);
                        s = e + 1 + rnd.nextInt(5);
                    }
                    case 1 -> { // zero-based
                        s = 0;
                        e = rnd.nextInt(3);
                    }
                    case 2 -> { // beyond the next TSN, up to the u16 limit
                        s = (int) Math.min(0xFFFF, Math.max(0, outstanding - 2 + rnd.nextInt(10)));
                        e = rnd.nextBoolean() ? 0xFFFF : Math.min(0xFFFF, s + rnd.nextInt(20));
                    }
                    default -> { // in range, unsorted and overlapping
                        s = 1 + rnd.nextInt((int) Math.max(1, outstanding));
                        e = Math.min(0xFFFF, s + rnd.nextInt(40));
                    }
                }
                raw.add(new GapBlock(Math.min(s, 0xFFFF), e));
            }
            long newCum = rnd.nextInt(10) == 0 ? cum + rnd.nextInt(3) : cum;
            newCum = Math.min(newCum, l.sender.nextTsn() - 1);
            l.sack(new Sack((int) newCum, RWND, raw, List.of()),
                    new Sack((int) newCum, RWND, normalized(raw), List.of()));
            cum = Math.max(cum, newCum);
            l.flush();
            if (rnd.nextInt(50) == 0) {
                l.advance(Duration.ofSeconds(2));
                l.t3IfDue();
            }
            while (l.sender.bufferedAmount(0) < 1 << 20) {
                l.enqueue(0, 53, MESSAGE, SctpSendOptions.RELIABLE_ORDERED);
            }
        }
    }

    @Test
    void scoreboardSubtractsRanges() {
        SctpGapScoreboard.Ranges x = new SctpGapScoreboard.Ranges();
        SctpGapScoreboard.Ranges y = new SctpGapScoreboard.Ranges();
        SctpGapScoreboard.Ranges out = new SctpGapScoreboard.Ranges();
        x.append(10, 20);
        x.append(30, 40);
        y.append(5, 12);
        y.append(15, 15);
        y.append(18, 33);
        y.append(40, 50);
        SctpGapScoreboard.subtract(x, y, 0, 100, out);
        assertThat(ranges(out)).isEqualTo("13-14,16-17,34-39");
        out.clear();
        SctpGapScoreboard.subtract(x, y, 14, 36, out);
        assertThat(ranges(out)).isEqualTo("14-14,16-17,34-36");
        out.clear();
        SctpGapScoreboard.subtract(y, x, 0, 100, out);
        assertThat(ranges(out)).isEqualTo("5-9,21-29,41-50");
    }

    private static String ranges(SctpGapScoreboard.Ranges r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.count(); i++) {
            sb.append(i == 0 ? "" : ",").append(r.start(i)).append('-').append(r.end(i));
        }
        return sb.toString();
    }
}
