package io.rtc4j.stun;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client transaction is sent and when it gives up (RFC 8489 §6.2): over UDP retransmitted with a
 * doubling interval ({@link Unreliable}), over TCP/TLS sent once and awaited for Ti ({@link Reliable}).
 */
public sealed interface StunRetransmission {
    /** RFC 8489 §6.2.1: the recommended initial RTO. */
    Duration DEFAULT_RTO = Duration.ofMillis(500);
    /** RFC 8489 §6.2.1: Rc, the number of transmissions. */
    int DEFAULT_RC = 7;
    /** RFC 8489 §6.2.1: Rm, the final wait in units of the initial RTO. */
    int DEFAULT_RM = 16;
    /** RFC 8489 §6.2.2: Ti, the timeout of a transaction over a reliable transport. */
    Duration DEFAULT_TI = Duration.ofMillis(39_500);

    /** The RFC 8489 §6.2.1 defaults: 500 ms, 7 transmissions, a final wait of 16 RTO (39.5 s in all). */
    static Unreliable udp() {
        return new Unreliable(DEFAULT_RTO, DEFAULT_RC, DEFAULT_RM);
    }

    /** The defaults with another initial RTO (ICE paces its checks with its own, RFC 8445 §14.3). */
    static Unreliable udp(Duration rto) {
        return new Unreliable(rto, DEFAULT_RC, DEFAULT_RM);
    }

    /** One transmission and a 39.5 s timeout (RFC 8489 §6.2.2). */
    static Reliable reliable() {
        return new Reliable(DEFAULT_TI);
    }

    /** How long after the first transmission the transaction times out without a response. */
    Duration timeout();

    /**
     * Transmissions at 0, RTO, 3 RTO, 7 RTO ... (the interval doubles), {@code rc} of them, then a final wait
     * of {@code rm} times the initial RTO (RFC 8489 §6.2.1).
     */
    record Unreliable(Duration rto, int rc, int rm) implements StunRetransmission {
        public Unreliable {
            Objects.requireNonNull(rto, "rto");
            if (rto.isNegative() || rto.isZero()) {
                throw new IllegalArgumentException("rto must be positive: " + rto);
            }
            if (rc < 1 || rc > 30) {
                throw new IllegalArgumentException("rc must be 1..30: " + rc);
            }
            if (rm < 1 || rm > 1024) {
                throw new IllegalArgumentException("rm must be 1..1024: " + rm);
            }
        }

        @Override
        public Duration timeout() {
            return rto.multipliedBy((1L << (rc - 1)) - 1 + rm);
        }
    }

    /** A single transmission; the transport retransmits (RFC 8489 §6.2.2). */
    record Reliable(Duration ti) implements StunRetransmission {
        public Reliable {
            Objects.requireNonNull(ti, "ti");
            if (ti.isNegative() || ti.isZero()) {
                throw new IllegalArgumentException("ti must be positive: " + ti);
            }
        }

        @Override
        public Duration timeout() {
            return ti;
        }
    }
}
