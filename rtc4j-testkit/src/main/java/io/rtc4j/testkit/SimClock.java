package io.rtc4j.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * A virtual clock for deterministic tests: time only moves when the test moves it. Engines receive {@code
 * now} from the driver; in tests the driver reads this clock. Not thread-safe: one test thread owns it.
 */
public final class SimClock implements InstantSource {
    /** 2026-01-01T00:00:00Z: a fixed, recognisable origin so traces are reproducible. */
    public static final Instant EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    private Instant now;

    public SimClock() {
        this(EPOCH);
    }

    public SimClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public Instant now() {
        return now;
    }

    /** Moves time forward; time never goes backwards. */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("time cannot go backwards: " + d);
        }
        now = now.plus(d);
        return now;
    }

    /** Moves time to {@code t} if it is later than now (a deadline in the past is already due). */
    public Instant advanceTo(Instant t) {
        if (t.isAfter(now)) {
            now = t;
        }
        return now;
    }
}
