package io.rtc4j.testkit.net;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Something with deadlines of its own, usually the test driver of a sans-IO engine: {@link #deadline()} returns
 * the engine's last {@code Timeout}, {@link #fire} calls {@code handleTimeout} and drains {@code pollOutput()}.
 * Registered with {@link SimNetwork#addTimer}, it is run in time order with the packets, so one
 * {@link SimNetwork#runUntil} drives the whole system.
 */
public interface SimTimer {
    /** The next instant this wants to run, or {@link Instant#MAX} (or null) for none. Read before every step. */
    Instant deadline();

    /** Runs with the clock at {@link #deadline()} (or at now, if the deadline had already passed). */
    void fire(Instant now);

    static SimTimer of(Supplier<Instant> deadline, Consumer<Instant> fire) {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(fire, "fire");
        return new SimTimer() {
            @Override
            public Instant deadline() {
                return deadline.get();
            }

            @Override
            public void fire(Instant now) {
                fire.accept(now);
            }
        };
    }
}
