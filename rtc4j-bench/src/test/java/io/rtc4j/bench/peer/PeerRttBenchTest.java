package io.rtc4j.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerRttBenchTest {
    @Test
    void optionsDefaultToOneBdpQueueAndSplitTheRtt() {
        PeerRttBench.Options o = PeerRttBench.Options.parse(new String[] {"--rate-mbit", "400", "--loss", "0.01"});
        assertThat(o.rttMs()).isEqualTo(100);
        assertThat(o.queueKib()).isEqualTo(4882); // 400 Mbit/s * 100 ms = 5,000,000 bytes
        assertThat(o.warmupMib()).isEqualTo(o.mib());
        LinkShape s = o.shape(0);
        assertThat(s.delayNanos()).isEqualTo(50_000_000L);
        assertThat(s.rateBitsPerSecond()).isEqualTo(400_000_000L);
        assertThat(s.loss()).isEqualTo(0.01);
        assertThat(o.shape(1).seed()).isNotEqualTo(s.seed());
        assertThat(PeerRttBench.Options.parse(new String[0]).shape(0).bottleneck()).isFalse();
    }

    @Test
    void rejectsUnknownOrIncompleteOptions() {
        assertThatThrownBy(() -> PeerRttBench.Options.parse(new String[] {"--nope", "1"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PeerRttBench.Options.parse(new String[] {"--mib"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
