package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link SctpCongestion} against RFC 9260 §7.2, step by step. */
class SctpCongestionTest {
    private static final int MTU = 1200;
    private static final long INITIAL = 4404; // §7.2.1: min(4*MTU, max(2*MTU, 4404))

    @Test
    void slowStartGrowsByAtMostOneMtuPerSackAndOnlyWhileTheWindowWasUsed() {
        SctpCongestion cc = new SctpCongestion(MTU);
        assertThat(cc.cwnd()).isEqualTo(INITIAL);
        cc.start(1 << 20);
        assertThat(cc.ssthresh()).isEqualTo(1 << 20);
        cc.onSack(10, true, 3 * MTU, INITIAL, false, 20);
        assertThat(cc.cwnd()).isEqualTo(INITIAL + MTU); // three MTUs acked, one MTU of growth
        cc.onSack(11, true, MTU, MTU, false, 20);
        assertThat(cc.cwnd()).isEqualTo(INITIAL + MTU); // the window was not used: no growth
        cc.onSack(11, false, MTU, INITIAL + MTU, false, 20);
        assertThat(cc.cwnd()).isEqualTo(INITIAL + MTU); // only gap-acked: the cumulative ack did not move
    }

    @Test
    void congestionAvoidanceAddsOneMtuPerWindowOfAckedBytes() {
        SctpCongestion cc = new SctpCongestion(MTU);
        cc.start(0); // ssthresh = 4*MTU: one slow-start step passes it
        cc.onSack(1, true, MTU, INITIAL, false, 10);
        long cwnd = cc.cwnd();
        assertThat(cwnd).isEqualTo(INITIAL + MTU).isGreaterThan(cc.ssthresh());
        cc.onSack(2, true, cwnd - 1, cwnd, false, 10);
        assertThat(cc.cwnd()).isEqualTo(cwnd);
        cc.onSack(3, true, 1, cwnd, false, 10);
        assertThat(cc.cwnd()).isEqualTo(cwnd + MTU);
    }

    @Test
    void oneReductionPerWindowOnFastRetransmitAndCollapseOnT3() {
        SctpCongestion cc = new SctpCongestion(MTU);
        cc.start(1 << 20);
        for (int i = 0; i < 60; i++) {
            cc.onSack(i, true, MTU, cc.cwnd(), false, 1000);
        }
        long before = cc.cwnd();
        assertThat(before).isEqualTo(INITIAL + 60 * MTU);
        cc.onSack(100, true, MTU, before, true, 200); // loss in the window ending at TSN 199
        assertThat(cc.cwnd()).isEqualTo(before / 2).isEqualTo(cc.ssthresh());
        cc.onSack(150, true, MTU, before, true, 260); // another loss in the same window: no second cut
        assertThat(cc.cwnd()).isEqualTo(before / 2);
        cc.onSack(180, true, 10 * MTU, before, false, 260); // still recovering: no growth
        assertThat(cc.cwnd()).isEqualTo(before / 2);
        cc.onSack(199, true, 10 * MTU, before, false, 260); // recovery over; cwnd = ssthresh is still slow start
        assertThat(cc.cwnd()).isEqualTo(before / 2 + MTU);
        cc.onSack(200, true, before, before, false, 260); // congestion avoidance: a window acked, one MTU
        assertThat(cc.cwnd()).isEqualTo(before / 2 + 2 * MTU);
        cc.onSack(210, true, MTU, before, true, 300); // a loss in a new window cuts again
        long cut = (before / 2 + 2 * MTU) / 2;
        assertThat(cc.cwnd()).isEqualTo(cut);
        cc.onT3Expired();
        assertThat(cc.cwnd()).isEqualTo(MTU);
        assertThat(cc.ssthresh()).isEqualTo(cut / 2); // max(cwnd/2, 4*MTU)
        cc.onT3Expired();
        assertThat(cc.ssthresh()).isEqualTo(4L * MTU);
    }
}
