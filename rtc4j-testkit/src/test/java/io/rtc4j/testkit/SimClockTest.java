package io.rtc4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimClockTest {
    @Test
    void advancesOnlyWhenTold() {
        SimClock clock = new SimClock();
        assertThat(clock.instant()).isEqualTo(SimClock.EPOCH);
        clock.advance(Duration.ofSeconds(600));
        assertThat(clock.now()).isEqualTo(SimClock.EPOCH.plusSeconds(600));
        clock.advanceTo(SimClock.EPOCH);
        assertThat(clock.now()).isEqualTo(SimClock.EPOCH.plusSeconds(600));
        assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
