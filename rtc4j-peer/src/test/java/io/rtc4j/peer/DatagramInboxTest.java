package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DatagramInboxTest {
    @Test
    void aBurstIsHandledInOrderInBatchesAndBeyondCapacityIsACountedDrop() throws Exception {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        AtomicInteger batches = new AtomicInteger();
        try (PeerLoop loop = new PeerLoop("inbox-test", InstantSource.system(), now -> {}, () -> {}, t -> {})) {
            loop.start();
            DatagramInbox inbox = new DatagramInbox(600, loop, d -> handled.add((d[0] & 0xFF) | (d[1] & 0xFF) << 8),
                    batches::incrementAndGet);
            CountDownLatch blocked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                blocked.countDown();
                awaitQuietly(release);
            });
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            int accepted = 0;
            for (int i = 0; i < 700; i++) {
                accepted += inbox.offer(new byte[] {(byte) (i & 0xFF), (byte) (i >> 8)}) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(600);
            assertThat(inbox.dropped()).isEqualTo(100);
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (handled.size() < 600 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(handled).hasSize(600);
            for (int i = 0; i < 600; i++) {
                assertThat(handled.get(i) & 0xFFFF).isEqualTo(i);
            }
            // 600 datagrams queued while the loop was busy: batches of 256, not one task each
            assertThat(batches.get()).isBetween(3, 4);
            assertThat(inbox.offer(new byte[] {1, 0})).isTrue(); // room again once drained
        }
    }

    private static void awaitQuietly(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
