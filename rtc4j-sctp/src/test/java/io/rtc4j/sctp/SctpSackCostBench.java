package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * CPU cost of SACK processing during loss recovery, without JMH: a sender with about 7,000 chunks outstanding
 * (8 MiB window, 1200-byte packets), one lost chunk at the head (or several, evenly spread), and one SACK per
 * arriving packet whose last gap block grows by one chunk (what dcsctp and usrsctp send). Each SACK is followed by
 * the fill an association's flush would do. Prints the median over several runs of the wall time per SACK (a
 * benchmark, not a test). Run: {@code java -cp rtc4j-sctp/target/classes:rtc4j-sctp/target/test-classes
 * io.rtc4j.sctp.SctpSackCostBench [outstanding] [runs] [holes]}
 */
public final class SctpSackCostBench {
    private SctpSackCostBench() {}

    /** A sender with at least {@code target} chunks outstanding; returns it with its cumulative ack point. */
    static SctpSender loaded(int target, long[] cumOut) {
        SctpConfig config = SctpConfig.builder().build();
        SctpSender s = new SctpSender(config, new SctpRto(Duration.ofSeconds(1), Duration.ofMillis(200),
                Duration.ofSeconds(60)), id -> {});
        long rwnd = 1L << 30;
        s.start(0, rwnd, true);
        Instant now = Instant.EPOCH;
        byte[] message = new byte[64 * 1024];
        long cum = -1;
        // Slow start with the window kept full: ack the oldest packet, refill, until the window is big enough.
        java.util.ArrayDeque<Long> packetEnds = new java.util.ArrayDeque<>();
        for (int step = 0; step < 1_000_000; step++) {
            while (s.bufferedAmount(0) < 16L << 20) {
                s.enqueue(0, 53, message, SctpSendOptions.RELIABLE_ORDERED, now);
            }
            while (true) {
                List<SctpChunk> out = new ArrayList<>();
                if (s.fill(now, out, config.mtu() - SctpCodec.COMMON_HEADER) == 0) {
                    break;
                }
                packetEnds.add(s.nextTsn() - 1);
            }
            if (s.nextTsn() - 1 - cum >= target) {
                cumOut[0] = cum;
                return s;
            }
            long end = packetEnds.poll();
            s.onSack(now, new Sack((int) end, rwnd, List.of(), List.of()));
            cum = end;
        }
        throw new IllegalStateException("window never reached " + target + " chunks");
    }

    /** Runs the loss-recovery SACK sequence once with {@code holes} lost chunks; returns nanoseconds per SACK. */
    static double once(int target, int holes) {
        long[] cum = new long[1];
        SctpSender s = loaded(target, cum);
        int outstanding = (int) (s.nextTsn() - 1 - cum[0]);
        int room = SctpConfig.builder().build().mtu() - SctpCodec.COMMON_HEADER;
        Instant now = Instant.EPOCH.plusSeconds(1);
        List<SctpChunk> out = new ArrayList<>();
        // Lost: offset 1 (the head) and every step-th chunk after it; everything else arrives in order, one SACK each.
        int step = Math.max(2, outstanding / holes);
        List<GapBlock> blocks = new ArrayList<>();
        int sacks = 0;
        long t0 = System.nanoTime();
        for (int k = 2; k <= outstanding; k++) {
            if ((k - 1) % step == 0) {
                continue;
            }
            int last = blocks.size() - 1;
            if (last >= 0 && blocks.get(last).end() == k - 1) {
                blocks.set(last, new GapBlock(blocks.get(last).start(), k));
            } else {
                blocks.add(new GapBlock(k, k));
            }
            sacks++;
            s.onSack(now, new Sack((int) cum[0], 1L << 30, List.copyOf(blocks), List.of()));
            for (int p = 0; p < SctpAssociation.MAX_BURST; p++) {
                out.clear();
                if (s.fill(now, out, room) == 0) {
                    break;
                }
            }
        }
        long t1 = System.nanoTime();
        return (t1 - t0) / (double) sacks;
    }

    public static void main(String[] args) {
        int target = args.length > 0 ? Integer.parseInt(args[0]) : 7000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int holes = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        for (int i = 0; i < 5; i++) {
            once(target, holes); // JIT warm-up
        }
        double[] ns = new double[runs];
        for (int i = 0; i < runs; i++) {
            ns[i] = once(target, holes);
        }
        Arrays.sort(ns);
        System.out.printf(Locale.ROOT, "SACK processing at %d outstanding chunks, %d hole(s), one SACK per arriving "
                + "chunk: median %.0f ns per SACK (min %.0f, max %.0f, %d runs)%n", target, holes, ns[runs / 2],
                ns[0], ns[runs - 1], runs);
    }
}
