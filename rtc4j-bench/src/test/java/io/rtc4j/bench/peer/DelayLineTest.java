package io.rtc4j.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.bench.peer.DelayLine.Verdict;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DelayLine in plain numbers for time: deterministic, no sockets. */
class DelayLineTest {
    private static final long MS = 1_000_000L;

    private static Verdict offer(DelayLine line, long now, int len, byte fill) {
        ByteBuffer b = line.receiveBuffer();
        for (int i = 0; i < len; i++) {
            b.put(fill);
        }
        return line.commit(now, b.position());
    }

    @Test
    void delaysEveryDatagramByTheSameTimeAndKeepsOrderAndBytes() {
        DelayLine line = new DelayLine(LinkShape.delay(50 * MS), 8, 2048);
        for (int i = 0; i < 5; i++) {
            assertThat(offer(line, i * MS, 100 + i, (byte) i)).isEqualTo(Verdict.ACCEPTED);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(line.headDue()).isEqualTo(i * MS + 50 * MS);
            ByteBuffer h = line.head();
            assertThat(h.remaining()).isEqualTo(100 + i);
            assertThat(h.get(0)).isEqualTo((byte) i);
            line.pop();
        }
        assertThat(line.isEmpty()).isTrue();
        assertThat(line.forwarded).isEqualTo(5);
        assertThat(line.forwardedBytes).isEqualTo(100 + 101 + 102 + 103 + 104);
    }

    @Test
    void bottleneckSpacesDeparturesAtItsRateAndDropsTailBeyondTheQueue() {
        // 8 Mbit/s = 1 byte per microsecond; burst one 1000-byte datagram; queue 5000 bytes
        LinkShape shape = new LinkShape(10 * MS, 8_000_000, 1000, 5000, 0, 0);
        DelayLine line = new DelayLine(shape, 64, 2048);
        List<Verdict> verdicts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            verdicts.add(offer(line, 0, 1000, (byte) i));
        }
        // the first goes at once (burst), five more wait in the 5000-byte queue, the rest are dropped
        assertThat(verdicts.subList(0, 6)).containsOnly(Verdict.ACCEPTED);
        assertThat(verdicts.subList(6, 20)).containsOnly(Verdict.QUEUE_FULL);
        assertThat(line.queueDropped).isEqualTo(14);
        for (int i = 0; i < 6; i++) {
            assertThat(line.headDue()).isEqualTo(i * MS + 10 * MS); // 1 ms apart at 1 byte/us
            line.pop();
        }
        // once the queue has drained, the bucket lets a datagram through at once again
        assertThat(offer(line, 100 * MS, 1000, (byte) 0)).isEqualTo(Verdict.ACCEPTED);
        assertThat(line.headDue()).isEqualTo(110 * MS);
    }

    @Test
    void bottleneckSustainsItsRateWithoutDropsWhenOfferedExactlyThat() {
        LinkShape shape = new LinkShape(0, 8_000_000, 1000, 3000, 0, 0);
        DelayLine line = new DelayLine(shape, 16, 2048);
        for (int i = 0; i < 1000; i++) {
            assertThat(offer(line, i * MS, 1000, (byte) 0)).isEqualTo(Verdict.ACCEPTED);
            assertThat(line.headDue()).isEqualTo(i * MS);
            line.pop();
        }
        assertThat(line.queueDropped).isZero();
    }

    @Test
    void seededLossIsRepeatableAndNearItsRate() {
        LinkShape shape = new LinkShape(0, 0, 0, 0, 0.1, 42);
        List<Verdict> first = run(shape);
        assertThat(run(shape)).isEqualTo(first);
        long lost = first.stream().filter(v -> v == Verdict.LOST).count();
        assertThat(lost).isBetween(850L, 1150L);
        assertThat(run(new LinkShape(0, 0, 0, 0, 0.1, 43))).isNotEqualTo(first);
    }

    private static List<Verdict> run(LinkShape shape) {
        DelayLine line = new DelayLine(shape, 4, 64);
        List<Verdict> v = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            v.add(offer(line, i, 10, (byte) 0));
            while (!line.isEmpty()) {
                line.pop();
            }
        }
        return v;
    }

    @Test
    void fullRingAndOversizeDatagramsAreCountedDrops() {
        DelayLine line = new DelayLine(LinkShape.delay(MS), 3, 100);
        for (int i = 0; i < 3; i++) {
            assertThat(offer(line, 0, 10, (byte) 0)).isEqualTo(Verdict.ACCEPTED);
        }
        assertThat(offer(line, 0, 10, (byte) 0)).isEqualTo(Verdict.RING_FULL);
        line.pop();
        assertThat(offer(line, 0, 101, (byte) 0)).isEqualTo(Verdict.OVERSIZE);
        assertThat(offer(line, 0, 100, (byte) 0)).isEqualTo(Verdict.ACCEPTED);
        assertThat(line.ringDropped).isEqualTo(1);
        assertThat(line.oversize).isEqualTo(1);
        assertThat(line.maxOccupancy).isEqualTo(3);
    }

    @Test
    void producerAndConsumerThreadsSeeEveryDatagramOnceInOrder() throws Exception {
        DelayLine line = new DelayLine(LinkShape.delay(0), 1024, 16);
        int n = 50_000;
        long[] mismatches = {0};
        Thread consumer = Thread.ofPlatform().start(() -> {
            long deadline = System.nanoTime() + 20_000_000_000L;
            for (int expected = 0; expected < n && System.nanoTime() < deadline; ) {
                if (line.isEmpty()) {
                    Thread.onSpinWait();
                    continue;
                }
                ByteBuffer h = line.head();
                if (h.remaining() != 4 || h.getInt(0) != expected) {
                    mismatches[0]++;
                }
                line.pop();
                expected++;
            }
        });
        long deadline = System.nanoTime() + 20_000_000_000L;
        for (int i = 0; i < n && System.nanoTime() < deadline; ) {
            ByteBuffer b = line.receiveBuffer();
            b.putInt(i);
            if (line.commit(0, 4) == Verdict.ACCEPTED) {
                i++;
            } else {
                Thread.onSpinWait(); // ring full: the consumer is behind; offer the same datagram again
            }
        }
        consumer.join(30_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(mismatches[0]).isZero();
        assertThat(line.forwarded).isEqualTo(n);
        assertThat(line.accepted).isEqualTo(n);
    }

    @Test
    void shapesAreValidatedOnce() {
        assertThatThrownBy(() -> LinkShape.delay(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkShape(0, 0, 0, 0, 1.0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LinkShape(0, 1_000_000, 1500, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DelayLine(LinkShape.delay(0), 0, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
