package io.rtc4j.sctp;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Finds a fast retransmission lost in its turn. RFC 9260 §7.2.4 never fast-retransmits a chunk twice, so only
 * T3 (RTO, 400 ms at least) would recover it, with cwnd collapsed to one MTU: measured against Chromium's
 * receiver, whose small socket buffer drops bursts, that stall cost a quarter of a bulk transfer. Instead, as
 * RACK does for TCP (RFC 8985 §6.2: time order in place of sequence order), once three chunks first sent after
 * the retransmission are acked while it is still missing, it is lost again. The sender's cwnd rule (one
 * reduction per window) is unchanged. Chunks are watched in send order, so {@code resentBefore} never
 * decreases along the queue: a walk stops at the first chunk not yet due.
 */
final class SctpResentWatch {
    private final ArrayDeque<SctpOutChunk> watched = new ArrayDeque<>();
    private long lost;

    /** A fast-retransmitted chunk went out again while {@code nextTsn} was our next new TSN. */
    void sent(SctpOutChunk c, long nextTsn) {
        c.resentBefore = nextTsn;
        watched.addLast(c);
    }

    /**
     * Hands each watched chunk found lost to {@code lostAgain} (which marks it for retransmission) and stops
     * watching it; forgets those that arrived, were abandoned or are marked already. Returns the chunks visited.
     */
    int lost(long highestNewlyAcked, long cumAck, Consumer<SctpOutChunk> lostAgain) {
        int visits = 0;
        while (!watched.isEmpty()) {
            SctpOutChunk c = watched.peekFirst();
            visits++;
            if (c.tsn <= cumAck || c.acked || c.abandoned || c.retransmit || !c.inFlight) {
                watched.pollFirst(); // arrived, skipped or already marked: nothing to watch
                continue;
            }
            if (highestNewlyAcked < c.resentBefore + 2) {
                break;
            }
            watched.pollFirst();
            lost++;
            lostAgain.accept(c);
        }
        return visits;
    }

    /** Retransmissions found lost so far. */
    long lostCount() {
        return lost;
    }
}
