package io.rtc4j.stun;

import java.util.Objects;

/** Any attribute this codec does not model, kept verbatim so it can be reported (420) or passed on. */
public record UnknownAttribute(int type, Bytes value) implements StunAttribute {
    public UnknownAttribute {
        Objects.requireNonNull(value, "value");
        if (type < 0 || type > 0xFFFF || value.length() > 0xFFFF) {
            throw new IllegalArgumentException("bad attribute type " + type);
        }
    }
}
