package io.rtc4j.bench.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroLossSearchTest {
    private static final ZeroLossSearch.Params PARAMS =
            new ZeroLossSearch.Params(10_000, 2_000_000, 500, 0.05, 40, 1, 1_000_000_000L, 1_000_000_000L, 10_000, 0, 0);

    /** A relay that forwards everything up to {@code capacity} pps and a generator that tops out at {@code genMax}. */
    private static ZeroLossSearch.Trials model(long capacity, long genMax, List<Long> offered) {
        return (pps, trialNanos, drain) -> {
            offered.add(pps);
            double seconds = trialNanos / 1e9;
            long sent = (long) (Math.min(pps, genMax) * seconds);
            long received = pps <= capacity ? sent : (long) (capacity * seconds);
            return new RelayLoad.Trial(pps, sent, received, seconds, 0, 0);
        };
    }

    @Test
    void findsTheCapacityWithinThePrecision() throws Exception {
        List<Long> offered = new ArrayList<>();
        ZeroLossSearch.Result r = ZeroLossSearch.run(model(123_000, 10_000_000, offered), PARAMS, null, "t");
        assertThat(r.generatorLimited()).isFalse();
        assertThat(r.pps()).isBetween(123_000 / 1.05, 123_000.0);
        // warm-up, then doubling 10k..160k, then bisection; lossy rates are tried twice
        assertThat(offered.subList(0, 6)).containsExactly(10_000L, 10_000L, 20_000L, 40_000L, 80_000L, 160_000L);
        assertThat(r.trials()).isLessThanOrEqualTo(PARAMS.maxTrials());
    }

    @Test
    void stopsAndSaysSoWhenTheGeneratorCannotKeepUp() throws Exception {
        List<Long> offered = new ArrayList<>();
        ZeroLossSearch.Result r = ZeroLossSearch.run(model(1_000_000, 300_000, offered), PARAMS, null, "t");
        assertThat(r.generatorLimited()).isTrue();
        assertThat(r.pps()).isEqualTo(300_000.0);
        assertThat(offered).last().isEqualTo(320_000L);
    }

    @Test
    void reportsZeroWhenEvenTheFloorLoses() throws Exception {
        ZeroLossSearch.Result r = ZeroLossSearch.run(model(100, 10_000_000, new ArrayList<>()), PARAMS, null, "t");
        assertThat(r.best()).isNull();
        assertThat(r.pps()).isZero();
    }

    @Test
    void aLossyTrialIsRepeatedOnce() throws Exception {
        List<Long> offered = new ArrayList<>();
        int[] calls = {0};
        ZeroLossSearch.Trials flaky = (pps, trialNanos, drain) -> {
            offered.add(pps);
            calls[0]++;
            long sent = pps;
            // the first scored trial at 20k loses one packet, its retry is clean; 40k and up always lose
            boolean lose = pps >= 40_000 || (pps == 20_000 && offered.stream().filter(x -> x == 20_000).count() == 1);
            return new RelayLoad.Trial(pps, sent, lose ? sent - 1 : sent, 1, 0, 0);
        };
        ZeroLossSearch.Result r = ZeroLossSearch.run(flaky, PARAMS, null, "t");
        assertThat(r.pps()).isBetween(20_000.0, 40_000.0);
        assertThat(offered.subList(0, 4)).containsExactly(10_000L, 10_000L, 20_000L, 20_000L);
    }
}
