package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Seeded random traffic through the production sender and the O(window) reference in lockstep: several streams,
 * ordered and unordered, partial reliability (max retransmits, lifetimes) with and without FORWARD-TSN support,
 * a lossy reordering path, a receiver that sometimes reneges, limits its gap blocks or repeats old SACKs, zero and
 * small windows, T3 expiries and TSNs wrapping 2^32. Any difference in anything observable fails.
 */
class SctpSenderDifferentialTest {

    @Test
    void behavesExactlyLikeTheReferenceSender() {
        long sacks = 0;
        long retransmissions = 0;
        long forwardTsns = 0;
        for (int seed = 0; seed < 120; seed++) {
            long[] counts = run(seed, 2_500);
            sacks += counts[0];
            retransmissions += counts[1];
            forwardTsns += counts[2];
        }
        // The runs must reach the interesting paths, or the comparison proves little.
        assertThat(sacks).isGreaterThan(50_000);
        assertThat(retransmissions).isGreaterThan(1_000);
        assertThat(forwardTsns).isGreaterThan(100);
    }

    /**
     * A chunk the advanced peer ack point already passed (gap-acked as part of a whole message) is reneged and then
     * abandoned: the next FORWARD-TSN must name its stream too (RFC 3758 §3.5 C), although the sender had already
     * scanned that TSN for an earlier FORWARD-TSN.
     */
    @Test
    void forwardTsnNamesAStreamAbandonedAfterReneging() {
        SctpSenderLockstep l = new SctpSenderLockstep(SctpConfig.builder().build(), 100, 1 << 20, true);
        SctpSendOptions once = new SctpSendOptions(false, 0, null); // no retransmission at all
        l.enqueue(1, 51, new byte[100], once);
        l.enqueue(2, 51, new byte[100], once);
        l.enqueue(3, 51, new byte[100], SctpSendOptions.RELIABLE_ORDERED);
        assertThat(l.flush()).hasSize(3); // TSNs 100, 101, 102
        l.sack(new Sack(99, 1 << 20, List.of(new GapBlock(2, 3)), List.of())); // 100 lost
        l.advance(Duration.ofSeconds(1));
        assertThat(l.t3IfDue()).isTrue(); // 100 abandoned; 101 and 102 are whole messages the peer holds
        assertThat(l.takeForwardTsn()).isEqualTo(new ForwardTsn(102, List.of(new SctpChunk.SkippedStream(1, 0))));
        // The FORWARD-TSN is lost; the peer reneges on 101 (RFC 9260 §6.2.1), which is then abandoned at T3.
        l.sack(new Sack(99, 1 << 20, List.of(new GapBlock(3, 3)), List.of()));
        l.advance(Duration.ofSeconds(3));
        assertThat(l.t3IfDue()).isTrue();
        assertThat(l.takeForwardTsn()).isEqualTo(new ForwardTsn(102, List.of(new SctpChunk.SkippedStream(1, 0),
                new SctpChunk.SkippedStream(2, 0))));
    }

    /** One seeded run; returns {SACKs, retransmitted chunks, FORWARD-TSNs}. */
    static long[] run(long seed, int steps) {
        SplittableRandom rnd = new SplittableRandom(seed);
        SctpConfig config = SctpConfig.builder().mtu(rnd.nextBoolean() ? 1200 : 400)
                .rtoMin(Duration.ofMillis(50)).rtoInitial(Duration.ofMillis(200)).build();
        int initialTsn = rnd.nextBoolean() ? -1 - rnd.nextInt(300) : rnd.nextInt();
        boolean forwardTsn = rnd.nextInt(4) != 0;
        long rwnd = rnd.nextInt(3) == 0 ? 20_000 : 1 << 22;
        SctpSenderLockstep l = new SctpSenderLockstep(config, initialTsn, rwnd, forwardTsn);
        double loss = rnd.nextInt(4) * 0.05;
        long base = l.sender.nextTsn();
        long rcvCum = base - 1;
        TreeSet<Long> got = new TreeSet<>();
        List<Long> network = new ArrayList<>();
        TreeSet<Long> sentOnce = new TreeSet<>();
        long[] counts = new long[3];
        for (int i = 0; i < steps; i++) {
            int action = rnd.nextInt(100);
            if (action < 15) {
                enqueue(l, rnd);
            } else if (action < 45) {
                for (Data d : l.flush()) {
                    long tsn = base + (int) (d.tsn() - (int) base);
                    if (!sentOnce.add(tsn)) {
                        counts[1]++;
                    }
                    if (rnd.nextDouble() >= loss) {
                        network.add(tsn);
                    }
                }
            } else if (action < 70) {
                // deliver a few, in any order
                for (int k = rnd.nextInt(6); k > 0 && !network.isEmpty(); k--) {
                    long tsn = network.remove(rnd.nextInt(Math.min(network.size(), 4)));
                    if (tsn > rcvCum) {
                        got.add(tsn);
                    }
                }
                while (got.contains(rcvCum + 1)) {
                    got.remove(++rcvCum);
                }
            } else if (action < 92) {
                if (rnd.nextInt(15) == 0 && !got.isEmpty()) {
                    got.remove(got.last()); // the receiver reneges (RFC 9260 §6.2.1)
                    if (!got.isEmpty()) {
                        got.remove(got.first());
                    }
                }
                long cum = rnd.nextInt(20) == 0 ? rcvCum - rnd.nextInt(5) : rcvCum; // sometimes an old SACK
                long aRwnd = rnd.nextInt(10) == 0 ? rnd.nextInt(3_000) : rwnd;
                l.sack(sack(cum, got, rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(3) : 64, aRwnd));
                counts[0]++;
            } else if (action < 98) {
                l.advance(Duration.ofMillis(rnd.nextInt(120)));
                l.t3IfDue();
            } else {
                l.advance(Duration.ofMillis(rnd.nextInt(5)));
            }
            ForwardTsn f = l.takeForwardTsn();
            if (f != null) {
                counts[2]++;
                if (rnd.nextInt(4) != 0) { // the peer gets it (RFC 3758 §3.6) unless it is lost
                    long to = rcvCum + (int) (f.newCumulativeTsn() - (int) rcvCum);
                    if (to > rcvCum) {
                        rcvCum = to;
                        got.headSet(rcvCum, true).clear();
                        while (got.contains(rcvCum + 1)) {
                            got.remove(++rcvCum);
                        }
                    }
                }
            }
        }
        return counts;
    }

    private static void enqueue(SctpSenderLockstep l, SplittableRandom rnd) {
        int stream = rnd.nextInt(4);
        if (l.sender.bufferedAmount(stream) > 200_000) {
            return;
        }
        SctpSendOptions o = switch (rnd.nextInt(6)) {
            case 0 -> SctpSendOptions.RELIABLE_UNORDERED;
            case 1 -> new SctpSendOptions(rnd.nextBoolean(), rnd.nextInt(3), null);
            case 2 -> new SctpSendOptions(rnd.nextBoolean(), -1, Duration.ofMillis(20 + rnd.nextInt(400)));
            default -> SctpSendOptions.RELIABLE_ORDERED;
        };
        byte[] data = new byte[1 + rnd.nextInt(rnd.nextBoolean() ? 300 : 6_000)];
        rnd.nextBytes(data);
        l.enqueue(stream, 51, data, o);
    }

    /** A receiver's SACK for {@code got} above {@code cum}, with at most {@code maxBlocks} gap blocks. */
    static Sack sack(long cum, TreeSet<Long> got, int maxBlocks, long aRwnd) {
        List<GapBlock> gaps = new ArrayList<>();
        long start = -1;
        long prev = -1;
        for (long t : got.tailSet(cum, false)) {
            if (t - cum > 0xFFFF) {
                break;
            }
            if (start < 0 || t != prev + 1) {
                if (start >= 0) {
                    gaps.add(new GapBlock((int) (start - cum), (int) (prev - cum)));
                }
                start = t;
            }
            prev = t;
        }
        if (start >= 0) {
            gaps.add(new GapBlock((int) (start - cum), (int) (prev - cum)));
        }
        return new Sack((int) cum, aRwnd, gaps.subList(0, Math.min(maxBlocks, gaps.size())), List.of());
    }
}
