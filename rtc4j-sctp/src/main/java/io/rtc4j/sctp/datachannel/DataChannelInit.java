package io.rtc4j.sctp.datachannel;

import java.time.Duration;
import java.util.Objects;

/**
 * W3C RTCDataChannelInit: ordering, one partial-reliability limit at most, sub-protocol, and pre-negotiation.
 *
 * @param maxRetransmits null for no limit
 * @param maxPacketLifeTime null for no limit
 * @param id the stream id; required when {@code negotiated}, else must be null (the endpoint picks it)
 */
public record DataChannelInit(boolean ordered, Integer maxRetransmits, Duration maxPacketLifeTime, String protocol,
        boolean negotiated, Integer id) {
    public static final DataChannelInit DEFAULT = new DataChannelInit(true, null, null, "", false, null);

    public DataChannelInit {
        Objects.requireNonNull(protocol, "protocol");
        if (maxRetransmits != null && maxPacketLifeTime != null) {
            throw new IllegalArgumentException("maxRetransmits and maxPacketLifeTime are exclusive");
        }
        if (maxRetransmits != null && (maxRetransmits < 0 || maxRetransmits > 0xFFFF)) {
            throw new IllegalArgumentException("maxRetransmits out of range: " + maxRetransmits);
        }
        if (maxPacketLifeTime != null && (maxPacketLifeTime.isNegative() || maxPacketLifeTime.toMillis() > 0xFFFF)) {
            throw new IllegalArgumentException("maxPacketLifeTime out of range: " + maxPacketLifeTime);
        }
        if (negotiated && id == null) {
            throw new IllegalArgumentException("a negotiated channel needs an id");
        }
        if (!negotiated && id != null) {
            throw new IllegalArgumentException("an id is given only for negotiated channels");
        }
        if (id != null && (id < 0 || id > 65534)) {
            throw new IllegalArgumentException("id must be within [0, 65534]: " + id);
        }
    }

    public static DataChannelInit negotiated(int id) {
        return new DataChannelInit(true, null, null, "", true, id);
    }

    public DataChannelInit withOrdered(boolean o) {
        return new DataChannelInit(o, maxRetransmits, maxPacketLifeTime, protocol, negotiated, id);
    }

    public DataChannelInit withMaxRetransmits(Integer n) {
        return new DataChannelInit(ordered, n, maxPacketLifeTime, protocol, negotiated, id);
    }

    public DataChannelInit withMaxPacketLifeTime(Duration d) {
        return new DataChannelInit(ordered, maxRetransmits, d, protocol, negotiated, id);
    }

    public DataChannelInit withProtocol(String p) {
        return new DataChannelInit(ordered, maxRetransmits, maxPacketLifeTime, p, negotiated, id);
    }
}
