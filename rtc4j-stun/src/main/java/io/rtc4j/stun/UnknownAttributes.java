package io.rtc4j.stun;

import java.util.List;

/** UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): the types a 420 response did not understand. */
public record UnknownAttributes(List<Integer> types) implements StunAttribute {
    public UnknownAttributes {
        types = List.copyOf(types);
        for (int t : types) {
            if (t < 0 || t > 0xFFFF) {
                throw new IllegalArgumentException("attribute types have 16 bits: " + t);
            }
        }
    }

    @Override
    public int type() {
        return AttributeType.UNKNOWN_ATTRIBUTES;
    }
}
