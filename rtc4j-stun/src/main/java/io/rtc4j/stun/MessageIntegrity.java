package io.rtc4j.stun;

import java.util.Objects;

/** MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1. The encoder computes it from a key; decoded messages verify it. */
public record MessageIntegrity(Bytes value) implements StunAttribute {
    public MessageIntegrity {
        Objects.requireNonNull(value, "value");
        if (!(value.length() == 20)) {
            throw new IllegalArgumentException("MessageIntegrity has a bad length: " + value.length());
        }
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY;
    }
}
