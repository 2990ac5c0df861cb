package io.rtc4j.bench.signaling;

import java.util.concurrent.atomic.AtomicLongArray;

/** Latencies in 10 us buckets up to 2 s (beyond: the last bucket); thread-safe, no allocation per sample. */
final class LatencyHistogram {
    private static final long BUCKET_NANOS = 10_000;
    private final AtomicLongArray buckets = new AtomicLongArray(200_000);
    private final java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();

    void record(long nanos) {
        int i = (int) Math.min(buckets.length() - 1, Math.max(0, nanos / BUCKET_NANOS));
        buckets.incrementAndGet(i);
        max.accumulateAndGet(nanos, Math::max);
    }

    long count() {
        long n = 0;
        for (int i = 0; i < buckets.length(); i++) {
            n += buckets.get(i);
        }
        return n;
    }

    /** The upper edge of the bucket holding quantile q, in milliseconds. */
    double quantileMillis(double q) {
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < buckets.length(); i++) {
            seen += buckets.get(i);
            if (seen >= rank) {
                return (i + 1) * BUCKET_NANOS / 1e6;
            }
        }
        return max.get() / 1e6;
    }

    double maxMillis() {
        return max.get() / 1e6;
    }
}
