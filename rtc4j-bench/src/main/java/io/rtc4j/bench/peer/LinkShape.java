package io.rtc4j.bench.peer;

/**
 * One direction of an emulated path, validated once: a fixed one-way delay, an optional bottleneck (a token
 * bucket of {@code rateBitsPerSecond} holding {@code burstBytes}, feeding a drop-tail queue of {@code queueBytes}),
 * and optional random loss drawn from a seeded generator. Rates and queue sizes count the UDP payload.
 *
 * @param delayNanos one-way delay added to every datagram (RTT/2 for a symmetric path)
 * @param rateBitsPerSecond bottleneck rate; 0 = unlimited (then burst and queue are unused)
 * @param burstBytes bytes the bucket lets through back to back at full rate (at least one datagram)
 * @param queueBytes bytes that may wait for the bottleneck; beyond that datagrams are dropped (drop-tail)
 * @param loss probability in [0, 1) that a datagram is lost before it reaches the queue
 * @param seed seed of the loss draws (same seed, same arrivals: same losses)
 */
public record LinkShape(long delayNanos, long rateBitsPerSecond, int burstBytes, long queueBytes, double loss, long seed) {

    public LinkShape {
        if (delayNanos < 0 || delayNanos > 10_000_000_000L) {
            throw new IllegalArgumentException("delay must be within [0, 10 s]: " + delayNanos + " ns");
        }
        if (rateBitsPerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0: " + rateBitsPerSecond);
        }
        if (rateBitsPerSecond > 0 && (burstBytes < 1 || queueBytes < 1)) {
            throw new IllegalArgumentException("a bottleneck needs burst and queue > 0: " + burstBytes + ", " + queueBytes);
        }
        if (!(loss >= 0 && loss < 1)) {
            throw new IllegalArgumentException("loss must be within [0, 1): " + loss);
        }
    }

    /** A plain delay: no bottleneck, no loss. */
    public static LinkShape delay(long delayNanos) {
        return new LinkShape(delayNanos, 0, 0, 0, 0, 0);
    }

    public boolean bottleneck() {
        return rateBitsPerSecond > 0;
    }

    /** Nanoseconds the bottleneck needs for {@code bytes} (a double keeps large queues from overflowing). */
    long serializationNanos(long bytes) {
        return (long) (bytes * 8e9 / rateBitsPerSecond);
    }
}
