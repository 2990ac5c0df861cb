package io.rtc4j.ice;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link IceAgent}.
 *
 * @param role initial role; a 487 role conflict may swap it (RFC 8445 §7.3.1.1), and a full agent facing an
 *     ICE-lite peer takes the controlling role (§6.1.1)
 * @param ta pacing between new checks (RFC 8445 §14.2: 50 ms by default for WebRTC)
 * @param checkRto first retransmission timeout of a check; doubles, 7 transmissions at most
 * @param maxPairs checklist limit (RFC 8445 §6.1.2.5)
 * @param nominationDelay the longest the controlling agent waits, after its first valid pair, for pending pairs of
 *     higher priority before it nominates the best valid one (it nominates at once when none is pending)
 * @param consentInterval RFC 7675 §5.1: consent checks every 5 s on average (randomised 0.8-1.2x)
 * @param disconnectedAfter no consent response for this long: DISCONNECTED (a lite agent: no check received)
 * @param consentTimeout RFC 7675 §5.1: 30 s without consent: FAILED, and sending must stop
 * @param lite an ICE-lite agent (RFC 8445 §2.5): host candidates only, answers checks but never sends any,
 *     controlled unless the peer is lite too; for servers on a public address (the SFU)
 */
public record IceAgentConfig(
        IceRole role,
        Duration ta,
        Duration checkRto,
        int maxPairs,
        Duration nominationDelay,
        Duration consentInterval,
        Duration disconnectedAfter,
        Duration consentTimeout,
        boolean lite) {
    public IceAgentConfig {
        Objects.requireNonNull(role, "role");
        for (Duration d : new Duration[] {ta, checkRto, nominationDelay, consentInterval, disconnectedAfter, consentTimeout}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be present and not negative");
            }
        }
        if (ta.isZero() || checkRto.isZero() || consentInterval.isZero()) {
            throw new IllegalArgumentException("ta, checkRto and consentInterval must be positive");
        }
        if (maxPairs < 1) {
            throw new IllegalArgumentException("maxPairs must be >= 1");
        }
        if (disconnectedAfter.compareTo(consentTimeout) > 0) {
            throw new IllegalArgumentException("disconnectedAfter must not exceed consentTimeout");
        }
    }

    /** A full agent. */
    public IceAgentConfig(IceRole role, Duration ta, Duration checkRto, int maxPairs, Duration nominationDelay,
            Duration consentInterval, Duration disconnectedAfter, Duration consentTimeout) {
        this(role, ta, checkRto, maxPairs, nominationDelay, consentInterval, disconnectedAfter, consentTimeout, false);
    }

    /** A full agent with the WebRTC timings. */
    public static IceAgentConfig defaults(IceRole role) {
        return new IceAgentConfig(role, Duration.ofMillis(50), Duration.ofMillis(500), IceChecklist.DEFAULT_MAX_PAIRS,
                Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(8), Duration.ofSeconds(30), false);
    }

    /**
     * An ICE-lite agent (RFC 8445 §2.5), controlled (§6.1.1). It declares DISCONNECTED and FAILED when the full
     * peer's checks (its consent checks, RFC 7675) stop arriving for {@code disconnectedAfter} and
     * {@code consentTimeout}.
     */
    public static IceAgentConfig liteDefaults() {
        return defaults(IceRole.CONTROLLED).withLite(true);
    }

    public IceAgentConfig withLite(boolean lite) {
        return new IceAgentConfig(role, ta, checkRto, maxPairs, nominationDelay, consentInterval, disconnectedAfter,
                consentTimeout, lite);
    }

    public IceAgentConfig withRole(IceRole role) {
        return new IceAgentConfig(role, ta, checkRto, maxPairs, nominationDelay, consentInterval, disconnectedAfter,
                consentTimeout, lite);
    }
}
