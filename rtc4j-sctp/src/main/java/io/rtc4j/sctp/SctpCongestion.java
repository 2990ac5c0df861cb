package io.rtc4j.sctp;

/**
 * Congestion control of one association's sender (RFC 9260 §7.2): slow start and congestion avoidance with byte
 * counting, one reduction per window on fast retransmit (fast recovery, §7.2.4), and the collapse to one MTU on
 * T3-rtx (§7.2.3). The sender tells it what each SACK did; it answers how much may be in flight.
 */
final class SctpCongestion {
    private final int mtu;
    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private boolean fastRecovery;
    private long recoveryExit;

    SctpCongestion(int mtu) {
        this.mtu = mtu;
        // §7.2.1: initial cwnd = min(4*MTU, max(2*MTU, 4404))
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4404));
    }

    /** The association is up: §7.2.1 lets ssthresh start arbitrarily high, here at the peer's window. */
    void start(long peerAdvertisedRwnd) {
        ssthresh = Math.max(peerAdvertisedRwnd, 4L * mtu);
    }

    /**
     * One SACK's effect. {@code lossMarked}: it marked chunks for fast retransmit; {@code nextTsn - 1} is then the
     * last TSN of the window whose loss this is, and recovery ends once the cumulative ack reaches it.
     * {@code flightBefore}: bytes in flight before the SACK (cwnd grows only while it was fully used).
     */
    void onSack(long cumAck, boolean advanced, long newlyAcked, long flightBefore, boolean lossMarked, long nextTsn) {
        if (fastRecovery && cumAck >= recoveryExit) {
            fastRecovery = false;
        }
        if (lossMarked && !fastRecovery) {
            // §7.2.3, §7.2.4: one reduction per window
            ssthresh = Math.max(cwnd / 2, 4L * mtu);
            cwnd = ssthresh;
            partialBytesAcked = 0;
            fastRecovery = true;
            recoveryExit = nextTsn - 1;
        }
        if (!advanced || fastRecovery || newlyAcked <= 0) {
            return;
        }
        if (cwnd <= ssthresh) {
            // §7.2.1 slow start with byte counting, only while cwnd was fully used, at most one MTU per SACK.
            // (L = 2, RFC 3465 §2.3, fills a long path sooner, but its doubling per round trip overshoots a
            // BDP-sized bottleneck queue by a window: measured in SctpBench, 200 ms goodput fell 57 -> 15 Mbit/s.)
            if (flightBefore + mtu >= cwnd) {
                cwnd += Math.min(newlyAcked, mtu);
            }
        } else {
            // §7.2.2 congestion avoidance: one MTU per cwnd of acknowledged bytes
            partialBytesAcked += newlyAcked;
            if (partialBytesAcked >= cwnd && flightBefore + mtu >= cwnd) {
                partialBytesAcked -= cwnd;
                cwnd += mtu;
            }
        }
    }

    /** Everything sent is acknowledged (§7.2.2: partial_bytes_acked is reset). */
    void allAcked() {
        partialBytesAcked = 0;
    }

    /** T3-rtx expired (§7.2.3): half the window as ssthresh, one MTU as cwnd, recovery over. */
    void onT3Expired() {
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
    }

    long cwnd() {
        return cwnd;
    }

    long ssthresh() {
        return ssthresh;
    }
}
