package io.rtc4j.stun;

/** LIFETIME (RFC 8656 §18.4): seconds, 32-bit unsigned. */
public record Lifetime(long value) implements StunAttribute {
    public Lifetime {
        if (!(value >= 0 && value <= 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("Lifetime out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.LIFETIME;
    }
}
