package io.rtc4j.sctp;

/**
 * A snapshot of an association's sending side.
 *
 * @param congestionWindow cwnd in bytes (RFC 9260 §7.2)
 * @param receiverWindow the peer's advertised window less what is in flight (rwnd, §6.2.1)
 * @param mtu the largest SCTP packet we send
 * @param unacknowledgedChunks DATA chunks sent and not yet cumulatively acknowledged
 * @param fastRetransmits chunks fast-retransmitted after three miss indications (§7.2.4)
 * @param lostRetransmissions fast retransmissions found lost and resent before T3
 * @param t3Expirations retransmission timeouts (§6.3.3)
 */
public record SctpSenderStats(long congestionWindow, long receiverWindow, int mtu, int unacknowledgedChunks,
        long fastRetransmits, long lostRetransmissions, long t3Expirations) {}
