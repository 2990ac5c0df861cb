package io.rtc4j.stun;

import java.util.Objects;

/** USERHASH (RFC 8489 §14.4): SHA-256(username ":" realm). */
public record UserHash(Bytes value) implements StunAttribute {
    public UserHash {
        Objects.requireNonNull(value, "value");
        if (!(value.length() == 32)) {
            throw new IllegalArgumentException("UserHash has a bad length: " + value.length());
        }
    }

    @Override
    public int type() {
        return AttributeType.USERHASH;
    }
}
