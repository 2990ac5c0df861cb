package io.rtc4j.stun;

/** REQUESTED-TRANSPORT (RFC 8656 §18.7): an IP protocol number, 17 for UDP. */
public record RequestedTransport(int value) implements StunAttribute {
    public RequestedTransport {
        if (!(value >= 0 && value <= 0xFF)) {
            throw new IllegalArgumentException("RequestedTransport out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.REQUESTED_TRANSPORT;
    }
}
