package io.rtc4j.signaling;

import java.time.Duration;
import java.time.Instant;

/** A token bucket on injected time: {@code burst} tokens, refilled at {@code perSecond}. Not thread-safe. */
final class TokenBucket {
    private final double perNano;
    private final double capacity;
    private double tokens;
    private Instant last;

    TokenBucket(double perSecond, int burst, Instant now) {
        this.perNano = perSecond / 1e9;
        this.capacity = burst;
        this.tokens = burst;
        this.last = now;
    }

    /** Takes one token if there is one. */
    boolean tryTake(Instant now) {
        if (now.isAfter(last)) {
            long nanos;
            try {
                nanos = Duration.between(last, now).toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE;
            }
            tokens = Math.min(capacity, tokens + nanos * perNano);
            last = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
