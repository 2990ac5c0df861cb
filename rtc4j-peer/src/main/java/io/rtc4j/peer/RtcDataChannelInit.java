package io.rtc4j.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * W3C RTCDataChannelInit (RFC 8831 §6.4): ordering, at most one partial-reliability limit, sub-protocol, and
 * pre-negotiation. Validated once, here.
 *
 * @param maxRetransmits null for no limit (0..65535)
 * @param maxPacketLifeTime null for no limit (0..65535 ms)
 * @param negotiated the application agreed on the channel out of band; no DCEP (RFC 8832) is sent
 * @param id the SCTP stream id, required when {@code negotiated} (0..65534), else null: picked by DTLS role
 */
public record RtcDataChannelInit(boolean ordered, Integer maxRetransmits, Duration maxPacketLifeTime, String protocol,
        boolean negotiated, Integer id) {
    /** Ordered, reliable, in-band, no sub-protocol. */
    public static final RtcDataChannelInit DEFAULT = new RtcDataChannelInit(true, null, null, "", false, null);

    public RtcDataChannelInit {
        protocol = protocol == null ? "" : protocol;
        if (maxRetransmits != null && maxPacketLifeTime != null) {
            throw new IllegalArgumentException("maxRetransmits and maxPacketLifeTime are exclusive (W3C TypeError)");
        }
        if (maxRetransmits != null && (maxRetransmits < 0 || maxRetransmits > 0xFFFF)) {
            throw new IllegalArgumentException("maxRetransmits out of range: " + maxRetransmits);
        }
        if (maxPacketLifeTime != null && (maxPacketLifeTime.isNegative() || maxPacketLifeTime.toMillis() > 0xFFFF)) {
            throw new IllegalArgumentException("maxPacketLifeTime out of range: " + maxPacketLifeTime);
        }
        if (negotiated != (id != null)) {
            throw new IllegalArgumentException("an id is given exactly when the channel is negotiated");
        }
        if (id != null && (id < 0 || id > 65534)) {
            throw new IllegalArgumentException("id must be within [0, 65534]: " + id);
        }
        if (protocol.length() > 65535 ) {
            throw new IllegalArgumentException("protocol longer than 65535");
        }
    }

    /** A pre-negotiated, ordered, reliable channel on stream {@code id}. */
    public static RtcDataChannelInit negotiated(int id) {
        return new RtcDataChannelInit(true, null, null, "", true, id);
    }

    public RtcDataChannelInit withOrdered(boolean o) {
        return new RtcDataChannelInit(o, maxRetransmits, maxPacketLifeTime, protocol, negotiated, id);
    }

    public RtcDataChannelInit withMaxRetransmits(Integer n) {
        return new RtcDataChannelInit(ordered, n, maxPacketLifeTime, protocol, negotiated, id);
    }

    public RtcDataChannelInit withMaxPacketLifeTime(Duration d) {
        return new RtcDataChannelInit(ordered, maxRetransmits, d, protocol, negotiated, id);
    }

    public RtcDataChannelInit withProtocol(String p) {
        return new RtcDataChannelInit(ordered, maxRetransmits, maxPacketLifeTime, Objects.requireNonNull(p), negotiated, id);
    }
}
