package io.rtc4j.turn;

/**
 * A token bucket in bytes per second, as coturn's {@code --max-bps} (bytes per second per session): one per
 * allocation and direction. The bucket holds one second's worth and starts full. NOT thread-safe: the event
 * loop that owns the allocation calls it; it allocates nothing per call.
 *
 * <p>Credit is kept in byte-nanoseconds (bytes x 10^9), so refill is exact integer arithmetic with no
 * rounding drift at any rate or packet spacing.
 */
public final class BandwidthLimiter {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Above this the byte-nanosecond capacity would overflow a long (about 74 Gbit/s). */
    public static final long MAX_BYTES_PER_SECOND = Long.MAX_VALUE / NANOS_PER_SECOND;

    private final long bytesPerSecond;
    private final long capacity; // byte-nanoseconds
    private long credit; // byte-nanoseconds; negative while paying off an oversized packet
    private long lastNanos;
    private boolean started;

    /** @param bytesPerSecond rate limit, 0 = unlimited */
    public BandwidthLimiter(long bytesPerSecond) {
        if (bytesPerSecond < 0 || bytesPerSecond > MAX_BYTES_PER_SECOND) {
            throw new IllegalArgumentException(
                    "bytes per second must be in 0.." + MAX_BYTES_PER_SECOND + ": " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.capacity = bytesPerSecond * NANOS_PER_SECOND;
        this.credit = capacity;
    }

    public long bytesPerSecond() {
        return bytesPerSecond;
    }

    /**
     * True if {@code bytes} may pass at {@code nowNanos} (a monotonic reading such as the driver's
     * {@code System.nanoTime()}; only differences matter), consuming them; false means drop.
     *
     * <p>A packet larger than the whole bucket (a tiny limit) passes only when the bucket is full and then
     * leaves it in debt, so the long-run rate still holds instead of such packets never passing at all.
     */
    public boolean tryConsume(long nowNanos, int bytes) {
        if (bytesPerSecond == 0) {
            return true;
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        refill(nowNanos);
        long cost = bytes * NANOS_PER_SECOND; // int * 1e9 cannot overflow a long
        if (credit >= cost || (credit == capacity && cost > capacity)) {
            credit -= cost;
            return true;
        }
        return false;
    }

    private void refill(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos; // wrap-safe, like System.nanoTime() differences
        if (elapsed <= 0) {
            return; // same instant, or a clock that stepped back: no credit, and keep the later mark
        }
        lastNanos = nowNanos;
        long deficit = capacity - credit; // <= max(capacity, largest packet cost): no overflow
        // elapsed * rate would overflow for long gaps; compare by division first.
        if (elapsed >= deficit / bytesPerSecond + 1) {
            credit = capacity;
        } else {
            credit += elapsed * bytesPerSecond;
            if (credit > capacity) {
                credit = capacity;
            }
        }
    }
}
