package io.rtc4j.sctp;

import java.time.Duration;

/** Retransmission timeout per RFC 9260 §6.3.1 (alpha 1/8, beta 1/4, K 4), with backoff and bounds. */
final class SctpRto {
    private final long minNanos;
    private final long maxNanos;
    private long srtt = -1;
    private long rttvar;
    private long rto;

    SctpRto(Duration initial, Duration min, Duration max) {
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.rto = initial.toNanos();
    }

    /** C1-C3: a new measurement R from a chunk sent once (Karn's rule is the caller's). */
    void measured(long rttNanos) {
        long r = Math.max(rttNanos, 0);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = rttvar - rttvar / 4 + Math.abs(srtt - r) / 4;
            srtt = srtt - srtt / 8 + r / 8;
        }
        // C3 with a clock granularity G of 1 ms: RTO = SRTT + max(G, 4 * RTTVAR)
        rto = clamp(srtt + Math.max(1_000_000L, 4 * rttvar));
    }

    /** E2 (§6.3.3): double on expiry, capped at RTO.Max. */
    void backOff() {
        rto = clamp(rto * 2);
    }

    private long clamp(long v) {
        return Math.min(maxNanos, Math.max(minNanos, v));
    }

    Duration rto() {
        return Duration.ofNanos(rto);
    }

    long rtoNanos() {
        return rto;
    }

    /** Smoothed RTT, or -1 before the first measurement. */
    long srttNanos() {
        return srtt;
    }
}
