package io.rtc4j.peer;

import static io.rtc4j.peer.LoopbackPeers.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A bulk transfer between two rtc4j peers on loopback with W3C-style flow control: send while bufferedAmount is
 * below a high mark, then wait for bufferedamountlow. The receiver's SHA-256 must equal the sender's.
 */
class LargeTransferTest {
    static final int MESSAGE = 64 * 1024;
    static final long TOTAL = Long.getLong("peer.bulk.mib", 32) << 20;
    static final long HIGH = 4L << 20;
    static final long LOW = 1L << 20;
    static final long BURST = 4L << 20;

    @Test
    void thirtyTwoMebibytesArriveWithTheSameSha256UnderFlowControl() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            MessageDigest received = MessageDigest.getInstance("SHA-256");
            AtomicLong receivedBytes = new AtomicLong();
            AtomicLong messages = new AtomicLong();
            AtomicReference<String> kindError = new AtomicReference<>();
            p.b.onDataChannel(ch -> ch.onMessage(m -> {
                if (!m.binary()) {
                    kindError.set("text message in a binary transfer");
                }
                received.update(m.data());
                receivedBytes.addAndGet(m.data().length);
                messages.incrementAndGet();
            }));
            RtcDataChannel ch = p.a.createDataChannel("bulk");
            Semaphore low = new Semaphore(0);
            AtomicLong lowEvents = new AtomicLong();
            ch.onBufferedAmountLow(() -> {
                lowEvents.incrementAndGet();
                low.release();
            });
            ch.setBufferedAmountLowThreshold(LOW); // before open: applied once SCTP is up
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            SplittableRandom random = new SplittableRandom(42);
            AtomicLong burstBuffered = new AtomicLong();
            // a burst from the open handler (the connection's thread: no SACK can interleave) fills the queue
            // beyond the threshold, so bufferedamountlow must follow
            ch.onOpen(() -> {
                byte[] b = new byte[MESSAGE];
                for (long off = 0; off < BURST; off += MESSAGE) {
                    random.nextBytes(b);
                    sent.update(b);
                    ch.send(b);
                }
                burstBuffered.set(ch.bufferedAmount());
            });
            long start = System.nanoTime();
            p.connectTrickle();
            await("open and burst sent", Duration.ofSeconds(20), () -> burstBuffered.get() > 0);
            assertThat(burstBuffered.get()).isGreaterThan(LOW);
            assertThat(ch.bufferedAmountLowThreshold()).isEqualTo(LOW);
            assertThat(low.tryAcquire(20, TimeUnit.SECONDS)).as("bufferedamountlow after the burst").isTrue();

            byte[] buf = new byte[MESSAGE];
            long waits = 0;
            long maxBuffered = 0;
            for (long off = BURST; off < TOTAL; off += MESSAGE) {
                low.drainPermits();
                long buffered = ch.bufferedAmount();
                maxBuffered = Math.max(maxBuffered, buffered);
                if (buffered > HIGH) {
                    waits++;
                    assertThat(low.tryAcquire(20, TimeUnit.SECONDS)).as("bufferedamountlow within 20 s").isTrue();
                    assertThat(ch.bufferedAmount()).isLessThanOrEqualTo(LOW);
                }
                random.nextBytes(buf);
                sent.update(buf);
                ch.send(buf);
            }
            await("all bytes received", Duration.ofSeconds(60), () -> receivedBytes.get() == TOTAL);
            double secs = (System.nanoTime() - start) / 1e9;
            System.out.printf("rtc4j->rtc4j loopback: %d MiB in %.2f s = %.1f MB/s, %d flow-control waits, max bufferedAmount %d%n",
                    TOTAL >> 20, secs, TOTAL / 1e6 / secs, waits, maxBuffered);
            assertThat(kindError.get()).isNull();
            assertThat(messages.get()).isEqualTo(TOTAL / MESSAGE);
            assertThat(received.digest()).isEqualTo(sent.digest());
            assertThat(lowEvents.get()).isGreaterThanOrEqualTo(1 + waits);
            assertThat(maxBuffered).isLessThanOrEqualTo(HIGH + MESSAGE);
            RtcStats.DataChannelStats s = p.a.getStats().channel("bulk").orElseThrow();
            assertThat(s.bytesSent()).isEqualTo(TOTAL);
            assertThat(p.b.getStats().channel("bulk").orElseThrow().bytesReceived()).isEqualTo(TOTAL);
            // RTCSctpTransportStats: the sender grew its window beyond the initial one
            var sctp = p.a.getStats().sctp().orElseThrow();
            assertThat(sctp.mtu()).isEqualTo(1200);
            assertThat(sctp.congestionWindow()).isGreaterThan(4L * 1200);
        }
    }
}
