package io.rtc4j.testkit.net;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One direction of a node's link. It owns its random stream, so loss on one link does not shift the draws of
 * another when a test adds traffic elsewhere, and its rate limiter state (a FIFO being serialised).
 */
final class SimPipe {
    private record Queued(Instant done, int bytes) {}

    private final SimNetwork network;
    private final SimNode owner;
    private final RandomGenerator random;
    private final ArrayDeque<Queued> backlog = new ArrayDeque<>();
    private long backlogBytes;
    private Instant busyUntil = Instant.MIN;
    private SimLinkConditions conditions = SimLinkConditions.PERFECT;

    SimPipe(SimNetwork network, SimNode owner, RandomGenerator random) {
        this.network = network;
        this.owner = owner;
        this.random = random;
    }

    SimLinkConditions conditions() {
        return conditions;
    }

    void conditions(SimLinkConditions c) {
        this.conditions = Objects.requireNonNull(c, "conditions");
    }

    /** Puts {@code p} on the link now; {@code exit} runs as a network event when (and if) it comes out. */
    void transmit(SimPacket p, Consumer<SimPacket> exit) {
        SimLinkConditions c = conditions;
        Instant now = network.now();
        Instant leaves = now;
        if (c.rateBytesPerSecond() > 0) {
            while (!backlog.isEmpty() && !backlog.peekFirst().done().isAfter(now)) {
                backlogBytes -= backlog.pollFirst().bytes();
            }
            int wire = p.wireSize();
            if (backlogBytes + wire > c.queueBytes()) {
                network.drop(owner, p, DropReason.RATE_LIMIT);
                return;
            }
            Instant start = busyUntil.isAfter(now) ? busyUntil : now;
            leaves = start.plusNanos(wire * 1_000_000_000L / c.rateBytesPerSecond());
            busyUntil = leaves;
            backlog.addLast(new Queued(leaves, wire));
            backlogBytes += wire;
        }
        // Loss after the queue: a packet lost on the wire has still used its share of the bandwidth.
        if (c.loss() > 0 && random.nextDouble() < c.loss()) {
            network.drop(owner, p, DropReason.LOSS);
            return;
        }
        network.scheduleInternal(leaves.plus(latency(c)), () -> exit.accept(p));
        if (c.duplication() > 0 && random.nextDouble() < c.duplication()) {
            network.duplicated(owner, p);
            network.scheduleInternal(leaves.plus(latency(c)), () -> exit.accept(p));
        }
    }

    private Duration latency(SimLinkConditions c) {
        Duration d = c.delay();
        if (!c.jitter().isZero()) {
            d = d.plusNanos(random.nextLong(c.jitter().toNanos() + 1));
        }
        if (c.reorder() > 0 && random.nextDouble() < c.reorder()) {
            d = d.plus(c.reorderDelay());
        }
        return d;
    }
}
