package io.rtc4j.ice;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Consent freshness timers of the selected pair (RFC 7675): when the next consent check is due, and how long
 * consent has been silent. A full agent sends checks and counts their answers; a lite agent sends none and counts
 * the full peer's checks instead; two lite agents track nothing.
 */
final class IceConsent {
    /** What the silence means now. */
    enum Verdict {
        FRESH,
        DISCONNECTED,
        EXPIRED
    }

    private final IceAgentConfig config;
    private Instant next = Instant.MAX; // the next consent check to send
    private Instant last; // the last proof of consent; null: not tracked

    IceConsent(IceAgentConfig config) {
        this.config = config;
    }

    /** A pair was selected at {@code now}; {@code send}: this side checks, {@code track}: silence counts. */
    void start(Instant now, boolean send, boolean track) {
        last = track ? now : null;
        next = send && track ? now.plus(config.consentInterval()) : Instant.MAX;
    }

    void stop() {
        last = null;
        next = Instant.MAX;
    }

    void confirmed(Instant now) {
        last = now;
    }

    /** True when a consent check is due; the next one is then scheduled (RFC 7675 §5.1: randomised 0.8-1.2x). */
    boolean due(Instant now, RandomGenerator random) {
        if (now.isBefore(next)) {
            return false;
        }
        double jitter = 0.8 + 0.4 * random.nextDouble();
        next = now.plus(Duration.ofNanos((long) (config.consentInterval().toNanos() * jitter)));
        return true;
    }

    Verdict verdict(Instant now) {
        if (last == null) {
            return Verdict.FRESH;
        }
        Duration silent = Duration.between(last, now);
        if (silent.compareTo(config.consentTimeout()) >= 0) {
            return Verdict.EXPIRED; // RFC 7675 §5.1: 30 s without consent
        }
        return silent.compareTo(config.disconnectedAfter()) >= 0 ? Verdict.DISCONNECTED : Verdict.FRESH;
    }

    /** The next time anything changes: a check to send, or silence crossing a threshold. */
    Instant deadline(boolean connected) {
        Instant d = next;
        if (last != null) {
            d = min(d, last.plus(config.consentTimeout()));
            if (connected) {
                d = min(d, last.plus(config.disconnectedAfter()));
            }
        }
        return d;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
