package io.rtc4j.turn;

import java.util.concurrent.atomic.LongAdder;

/** Counters of one TURN server, shared by its engines (thread-safe, cheap on the packet path). */
public final class TurnMetrics {
    private final LongAdder allocationsCreated = new LongAdder();
    private final LongAdder allocationsDeleted = new LongAdder();
    private final LongAdder packetsToPeer = new LongAdder();
    private final LongAdder bytesToPeer = new LongAdder();
    private final LongAdder packetsToClient = new LongAdder();
    private final LongAdder bytesToClient = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    private final LongAdder[] drops = new LongAdder[DropReason.values().length];

    public TurnMetrics() {
        for (int i = 0; i < drops.length; i++) {
            drops[i] = new LongAdder();
        }
    }

    void allocationCreated() {
        allocationsCreated.increment();
    }

    void allocationDeleted() {
        allocationsDeleted.increment();
    }

    void relayedToPeer(int bytes) {
        packetsToPeer.increment();
        bytesToPeer.add(bytes);
    }

    void relayedToClient(int bytes) {
        packetsToClient.increment();
        bytesToClient.add(bytes);
    }

    void request() {
        requests.increment();
    }

    void authFailure() {
        authFailures.increment();
    }

    public void drop(DropReason reason) {
        drops[reason.ordinal()].increment();
    }

    public long allocationsActive() {
        return allocationsCreated.sum() - allocationsDeleted.sum();
    }

    public long allocationsCreated() {
        return allocationsCreated.sum();
    }

    public long packetsToPeer() {
        return packetsToPeer.sum();
    }

    public long bytesToPeer() {
        return bytesToPeer.sum();
    }

    public long packetsToClient() {
        return packetsToClient.sum();
    }

    public long bytesToClient() {
        return bytesToClient.sum();
    }

    public long requests() {
        return requests.sum();
    }

    public long authFailures() {
        return authFailures.sum();
    }

    public long drops(DropReason reason) {
        return drops[reason.ordinal()].sum();
    }

    public long dropsTotal() {
        long n = 0;
        for (LongAdder d : drops) {
            n += d.sum();
        }
        return n;
    }
}
