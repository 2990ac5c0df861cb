package io.rtc4j.bench.ice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IceBenchTest {
    @Test
    void nearestRankQuantiles() {
        double[] v = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
        assertThat(IceBench.median(v)).isEqualTo(5);
        assertThat(IceBench.p90(v)).isEqualTo(9);
        assertThat(IceBench.quantile(new double[] {3}, 0.9)).isEqualTo(3);
        assertThat(IceBench.row("x", 2, 4)).contains("| 0.50 |");
    }
}
