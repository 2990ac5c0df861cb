package io.rtc4j.stun;

/** EVEN-PORT (RFC 8656 §18.6): ask for an even relay port, optionally reserving the next one (R bit). */
public record EvenPort(boolean reserveNext) implements StunAttribute {
    @Override
    public int type() {
        return AttributeType.EVEN_PORT;
    }
}
