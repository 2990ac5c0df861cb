package io.rtc4j.stun;

import java.util.Objects;

/** DATA (RFC 8656 §18.4): the application data of a Send or Data indication. */
public record Data(Bytes value) implements StunAttribute {
    public Data {
        Objects.requireNonNull(value, "value");
        if (!(value.length() <= 0xFFFF)) {
            throw new IllegalArgumentException("Data has a bad length: " + value.length());
        }
    }

    @Override
    public int type() {
        return AttributeType.DATA;
    }
}
