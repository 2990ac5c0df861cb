package io.rtc4j.stun;

/** CONNECTION-ID (RFC 6062 §6.2.1). */
public record ConnectionId(long value) implements StunAttribute {
    public ConnectionId {
        if (!(value >= 0 && value <= 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("ConnectionId out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.CONNECTION_ID;
    }
}
