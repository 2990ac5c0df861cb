package io.rtc4j.stun;

import java.util.Objects;

/** MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6): HMAC-SHA256, possibly truncated to 16..32 bytes. */
public record MessageIntegritySha256(Bytes value) implements StunAttribute {
    public MessageIntegritySha256 {
        Objects.requireNonNull(value, "value");
        if (!(value.length() >= 16 && value.length() <= 32 && value.length() % 4 == 0)) {
            throw new IllegalArgumentException("MessageIntegritySha256 has a bad length: " + value.length());
        }
    }

    @Override
    public int type() {
        return AttributeType.MESSAGE_INTEGRITY_SHA256;
    }
}
