package io.rtc4j.stun;

/** PRIORITY (RFC 8445 §16.1): a 32-bit unsigned candidate priority. */
public record Priority(long value) implements StunAttribute {
    public Priority {
        if (!(value >= 0 && value <= 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("Priority out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.PRIORITY;
    }
}
