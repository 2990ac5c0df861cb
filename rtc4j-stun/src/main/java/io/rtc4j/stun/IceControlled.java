package io.rtc4j.stun;

/** ICE-CONTROLLED (RFC 8445 §16.1): the agent's 64-bit tie-breaker. */
public record IceControlled(long value) implements StunAttribute {
    public IceControlled {
        if (!(true)) {
            throw new IllegalArgumentException("IceControlled out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.ICE_CONTROLLED;
    }
}
