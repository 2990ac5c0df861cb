package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BandwidthLimiterTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    @Test
    void unlimitedAlwaysPasses() {
        BandwidthLimiter l = new BandwidthLimiter(0);
        for (int i = 0; i < 1000; i++) {
            assertThat(l.tryConsume(0, 65_535)).isTrue();
        }
    }

    @Test
    void startsWithOneSecondOfBurst() {
        BandwidthLimiter l = new BandwidthLimiter(10_000);
        for (int i = 0; i < 10; i++) {
            assertThat(l.tryConsume(0, 1000)).as("packet %d", i).isTrue();
        }
        assertThat(l.tryConsume(0, 1)).isFalse();
    }

    @Test
    void refillsOverVirtualTime() {
        BandwidthLimiter l = new BandwidthLimiter(10_000); // 10 bytes per ms
        long t = 5 * S; // an arbitrary origin: only differences matter
        assertThat(l.tryConsume(t, 10_000)).isTrue();
        assertThat(l.tryConsume(t, 1)).isFalse();
        assertThat(l.tryConsume(t + 99 * MS, 1000)).as("990 bytes earned").isFalse();
        assertThat(l.tryConsume(t + 100 * MS, 1000)).as("1000 bytes earned").isTrue();
        assertThat(l.tryConsume(t + 100 * MS, 1)).isFalse();
        // Credit never exceeds one second's worth, however long the pause.
        assertThat(l.tryConsume(t + 3600 * S, 10_000)).isTrue();
        assertThat(l.tryConsume(t + 3600 * S, 1)).isFalse();
    }

    @Test
    void sustainedRateIsTheConfiguredRate() {
        BandwidthLimiter l = new BandwidthLimiter(125_000); // 1 Mbit/s
        long passed = 0;
        // 1200-byte packets offered every 1 ms (9.6 Mbit/s) for 10 virtual seconds.
        for (long t = 0; t < 10 * S; t += MS) {
            if (l.tryConsume(t, 1200)) {
                passed += 1200;
            }
        }
        // One second of burst plus ten seconds at the rate, within a packet.
        assertThat(passed).isBetween(11 * 125_000L - 1200, 11 * 125_000L);
    }

    @Test
    void subByteRefillIsNotLost() {
        BandwidthLimiter l = new BandwidthLimiter(3); // 3 bytes per second: 1 byte every 333.33 ms
        assertThat(l.tryConsume(0, 3)).isTrue();
        int passed = 0;
        for (long t = MS; t <= 3 * S; t += MS) {
            if (l.tryConsume(t, 1)) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(9);
    }

    @Test
    void oversizedPacketPassesOnlyFromAFullBucketAndIsPaidBack() {
        BandwidthLimiter l = new BandwidthLimiter(1000);
        assertThat(l.tryConsume(0, 1500)).isTrue(); // full bucket: goes into 500 bytes of debt
        assertThat(l.tryConsume(400 * MS, 1)).isFalse(); // 400 earned, still 100 in debt
        assertThat(l.tryConsume(1500 * MS, 1000)).isTrue(); // 1000 credit after 1.5 s
        assertThat(l.tryConsume(1500 * MS, 1500)).isFalse(); // bucket not full
    }

    @Test
    void timeGoingBackwardsEarnsNothing() {
        BandwidthLimiter l = new BandwidthLimiter(1000);
        assertThat(l.tryConsume(10 * S, 1000)).isTrue();
        assertThat(l.tryConsume(9 * S, 1)).isFalse();
        assertThat(l.tryConsume(10 * S + 500 * MS, 500)).isTrue();
    }

    @Test
    void worksAcrossNanoTimeWrapAround() {
        BandwidthLimiter l = new BandwidthLimiter(1000);
        long t = Long.MAX_VALUE - 100 * MS;
        assertThat(l.tryConsume(t, 1000)).isTrue();
        assertThat(l.tryConsume(t + 500 * MS, 500)).isTrue(); // overflows to negative: still +500 ms
        assertThat(l.tryConsume(t + 500 * MS, 1)).isFalse();
    }

    @Test
    void extremeRatesDoNotOverflow() {
        BandwidthLimiter l = new BandwidthLimiter(BandwidthLimiter.MAX_BYTES_PER_SECOND);
        assertThat(l.tryConsume(0, Integer.MAX_VALUE)).isTrue();
        assertThat(l.tryConsume(Long.MAX_VALUE, Integer.MAX_VALUE)).isTrue();
        assertThatThrownBy(() -> new BandwidthLimiter(BandwidthLimiter.MAX_BYTES_PER_SECOND + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BandwidthLimiter(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BandwidthLimiter(10).tryConsume(0, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
