package io.rtc4j.stun;

/** ICE-CONTROLLING (RFC 8445 §16.1): the agent's 64-bit tie-breaker. */
public record IceControlling(long value) implements StunAttribute {
    public IceControlling {
        if (!(true)) {
            throw new IllegalArgumentException("IceControlling out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.ICE_CONTROLLING;
    }
}
