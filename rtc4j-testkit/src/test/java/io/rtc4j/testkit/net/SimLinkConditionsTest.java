package io.rtc4j.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimLinkConditionsTest {
    private static final Instant T0 = SimClock.EPOCH;

    /** Two public hosts; {@code a} sends numbered datagrams to {@code b}, which records what it got and when. */
    private static final class Pair {
        final SimNetwork net;
        final SimHost a;
        final SimHost b;
        final SimSocket sa;
        final SimSocket sb;
        final List<int[]> received = new ArrayList<>(); // {sequence, sent at ms, received at ms}

        Pair(long seed) {
            net = new SimNetwork(seed);
            a = net.internet().addHost("a", "192.0.2.10");
            b = net.internet().addHost("b", "192.0.2.20");
            sa = a.bind(5000);
            sb = b.bind(6000);
            sb.onReceive(d -> {
                ByteBuffer buf = d.buffer();
                received.add(new int[] {buf.getInt(), buf.getInt(), (int) Duration.between(T0, d.at()).toMillis()});
            });
        }

        void send(int seq, int size) {
            ByteBuffer buf = ByteBuffer.allocate(Math.max(size, 8));
            buf.putInt(seq).putInt((int) Duration.between(T0, net.now()).toMillis()).clear();
            sa.send(sb.localAddress(), buf);
        }

        /** Sends {@code count} datagrams, one every {@code gapMillis}, and runs until all have landed. */
        void sendSpaced(int count, int gapMillis) {
            for (int i = 0; i < count; i++) {
                int seq = i;
                net.schedule(T0.plusMillis((long) i * gapMillis), () -> send(seq, 8));
            }
            assertThat(net.runUntilIdle(Duration.ofMinutes(1))).isTrue();
        }

        BitSet receivedSequences() {
            BitSet s = new BitSet();
            received.forEach(r -> s.set(r[0]));
            return s;
        }

        int inversions() {
            int n = 0;
            for (int i = 1; i < received.size(); i++) {
                if (received.get(i)[0] < received.get(i - 1)[0]) {
                    n++;
                }
            }
            return n;
        }
    }

    private static Pair lossy(long seed) {
        Pair p = new Pair(seed);
        p.a.setUplink(SimLinkConditions.builder().loss(0.1).build());
        for (int i = 0; i < 10_000; i++) {
            p.send(i, 8);
        }
        p.net.runUntilIdle(Duration.ofSeconds(1));
        return p;
    }

    @Test
    void lossRateIsAsConfiguredAndExactlyReproducibleWithTheSameSeed() {
        Pair first = lossy(1);
        long delivered = first.b.counters().delivered();
        // 10,000 Bernoulli(0.9) trials: sd 30, so +-150 is five sd
        assertThat(delivered).isBetween(8_850L, 9_150L);
        assertThat(first.a.counters().dropped(DropReason.LOSS)).isEqualTo(10_000 - delivered);
        assertThat(first.net.counters().dropped()).isEqualTo(10_000 - delivered);

        Pair again = lossy(1);
        assertThat(again.receivedSequences()).isEqualTo(first.receivedSequences());
        assertThat(lossy(2).receivedSequences()).isNotEqualTo(first.receivedSequences());
    }

    @Test
    void duplicationDeliversSomePacketsTwice() {
        Pair p = new Pair(3);
        p.b.setDownlink(SimLinkConditions.builder().duplication(0.25).build());
        p.sendSpaced(4_000, 1);

        long delivered = p.b.counters().delivered();
        assertThat(delivered).isBetween(4_850L, 5_150L); // 1.25 x 4000, sd 27
        assertThat(p.b.counters().duplicated()).isEqualTo(delivered - 4_000);
        assertThat(p.receivedSequences().cardinality()).isEqualTo(4_000);
    }

    @Test
    void jitterDelaysWithinBoundsAndReorders() {
        Pair p = new Pair(4);
        p.a.setUplink(SimLinkConditions.builder()
                .delay(Duration.ofMillis(50))
                .jitter(Duration.ofMillis(40))
                .build());
        p.sendSpaced(200, 1);

        assertThat(p.received).hasSize(200);
        assertThat(p.received).allSatisfy(r -> assertThat(r[2] - r[1]).isBetween(50, 90));
        assertThat(p.inversions()).isGreaterThan(20);
    }

    @Test
    void withoutJitterOrderIsKept() {
        Pair p = new Pair(4);
        p.a.setUplink(SimLinkConditions.delay(Duration.ofMillis(50)));
        p.sendSpaced(200, 1);

        assertThat(p.received).hasSize(200);
        assertThat(p.inversions()).isZero();
        assertThat(p.received).allSatisfy(r -> assertThat(r[2] - r[1]).isEqualTo(50));
    }

    @Test
    void explicitReorderHoldsSomePacketsBack() {
        Pair p = new Pair(5);
        p.a.setUplink(SimLinkConditions.builder()
                .delay(Duration.ofMillis(10))
                .reorder(0.1, Duration.ofMillis(15))
                .build());
        p.sendSpaced(1_000, 1);

        long late = p.received.stream().filter(r -> r[2] - r[1] == 25).count();
        assertThat(p.received).allSatisfy(r -> assertThat(r[2] - r[1]).isIn(10, 25));
        assertThat(late).isBetween(50L, 150L); // 10% of 1000, sd 9.5
        assertThat(p.inversions()).isGreaterThanOrEqualTo((int) late / 2);
    }

    @Test
    void rateLimitQueuesThenTailDrops() {
        Pair p = new Pair(6);
        // 100 kB/s: a 972-byte payload is 1,000 bytes on the wire (28 B of IPv4 + UDP) and takes 10 ms.
        p.a.setUplink(SimLinkConditions.builder()
                .delay(Duration.ofMillis(5))
                .rateLimit(100_000, 10_000)
                .build());

        for (int i = 0; i < 20; i++) {
            p.send(i, 972);
        }
        // at 35 ms three packets have left the queue, so room for three more
        p.net.runUntil(T0.plusMillis(35));
        for (int i = 20; i < 25; i++) {
            p.send(i, 972);
        }
        p.net.runUntilIdle(Duration.ofSeconds(1));

        assertThat(p.received).extracting(r -> r[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22);
        assertThat(p.received)
                .extracting(r -> r[2])
                .containsExactly(15, 25, 35, 45, 55, 65, 75, 85, 95, 105, 115, 125, 135);
        assertThat(p.a.counters().dropped(DropReason.RATE_LIMIT)).isEqualTo(12);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> SimLinkConditions.builder().loss(1.5).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimLinkConditions.builder().loss(Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimLinkConditions.delay(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimLinkConditions.builder().rateLimit(1000, 0).build())
                .isInstanceOf(IllegalArgumentException.class);
        SimLinkConditions c = SimLinkConditions.builder().loss(0.5).jitter(Duration.ofMillis(3)).build();
        assertThat(c.toBuilder().build()).isEqualTo(c);
    }
}
