package io.rtc4j.sctp;

import java.time.Duration;

/**
 * How one message is sent: ordered or not, and its partial reliability (RFC 3758 policies as used by RFC 8831 §6.6).
 *
 * @param maxRetransmits abandon after this many retransmissions; -1 for no limit
 * @param lifetime abandon when not acknowledged this long after {@code send}; null for no limit
 */
public record SctpSendOptions(boolean unordered, int maxRetransmits, Duration lifetime) {
    public static final SctpSendOptions RELIABLE_ORDERED = new SctpSendOptions(false, -1, null);
    public static final SctpSendOptions RELIABLE_UNORDERED = new SctpSendOptions(true, -1, null);

    public SctpSendOptions {
        if (maxRetransmits < -1) {
            throw new IllegalArgumentException("maxRetransmits must be >= -1: " + maxRetransmits);
        }
        if (lifetime != null && lifetime.isNegative()) {
            throw new IllegalArgumentException("lifetime must not be negative");
        }
        if (maxRetransmits >= 0 && lifetime != null) {
            throw new IllegalArgumentException("at most one of maxRetransmits and lifetime"); // RFC 8831 §6.6
        }
    }

    boolean reliable() {
        return maxRetransmits < 0 && lifetime == null;
    }
}
