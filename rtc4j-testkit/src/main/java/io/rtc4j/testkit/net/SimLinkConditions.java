package io.rtc4j.testkit.net;

import java.time.Duration;
import java.util.Objects;

/**
 * What one direction of a link does to packets, netem-style, all seeded: a rate limit with a tail-drop queue, then
 * random loss, then a delay of {@code delay + uniform[0, jitter]} (plus {@code reorderDelay} for a {@code reorder}
 * fraction of packets), and a {@code duplication} fraction sent twice with independent delays. Jitter reorders
 * packets by itself, as netem does; {@code reorder} holds some back on purpose so later ones overtake them.
 *
 * @param rateBytesPerSecond 0 for unlimited; wire size counts IP and UDP headers (28 B over IPv4, 48 B over IPv6)
 * @param queueBytes bytes the rate limiter may hold, including the packet being serialised; beyond it, tail drop
 */
public record SimLinkConditions(
        Duration delay,
        Duration jitter,
        double loss,
        double duplication,
        double reorder,
        Duration reorderDelay,
        long rateBytesPerSecond,
        int queueBytes) {

    /** No delay, no loss, no limit: packets cross in zero virtual time (still as a separate event). */
    public static final SimLinkConditions PERFECT = builder().build();

    public SimLinkConditions {
        nonNegative(delay, "delay");
        nonNegative(jitter, "jitter");
        nonNegative(reorderDelay, "reorderDelay");
        probability(loss, "loss");
        probability(duplication, "duplication");
        probability(reorder, "reorder");
        if (rateBytesPerSecond < 0) {
            throw new IllegalArgumentException("rateBytesPerSecond must be >= 0: " + rateBytesPerSecond);
        }
        if (queueBytes <= 0) {
            throw new IllegalArgumentException("queueBytes must be > 0: " + queueBytes);
        }
    }

    /** A link that only delays. */
    public static SimLinkConditions delay(Duration delay) {
        return builder().delay(delay).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .delay(delay)
                .jitter(jitter)
                .loss(loss)
                .duplication(duplication)
                .reorder(reorder, reorderDelay)
                .rateLimit(rateBytesPerSecond, queueBytes);
    }

    private static void nonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    private static void probability(double p, String name) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new IllegalArgumentException(name + " must be within [0, 1]: " + p);
        }
    }

    public static final class Builder {
        private Duration delay = Duration.ZERO;
        private Duration jitter = Duration.ZERO;
        private double loss;
        private double duplication;
        private double reorder;
        private Duration reorderDelay = Duration.ZERO;
        private long rateBytesPerSecond;
        /** 64 KiB: a few dozen full-size packets, a typical small router buffer. */
        private int queueBytes = 64 * 1024;

        private Builder() {}

        public Builder delay(Duration d) {
            this.delay = d;
            return this;
        }

        public Builder jitter(Duration j) {
            this.jitter = j;
            return this;
        }

        public Builder loss(double probability) {
            this.loss = probability;
            return this;
        }

        public Builder duplication(double probability) {
            this.duplication = probability;
            return this;
        }

        /** Holds a {@code probability} fraction of packets back by {@code extraDelay} so later ones overtake them. */
        public Builder reorder(double probability, Duration extraDelay) {
            this.reorder = probability;
            this.reorderDelay = extraDelay;
            return this;
        }

        public Builder rateLimit(long bytesPerSecond, int queueBytes) {
            this.rateBytesPerSecond = bytesPerSecond;
            this.queueBytes = queueBytes;
            return this;
        }

        public SimLinkConditions build() {
            return new SimLinkConditions(
                    delay, jitter, loss, duplication, reorder, reorderDelay, rateBytesPerSecond, queueBytes);
        }
    }
}
