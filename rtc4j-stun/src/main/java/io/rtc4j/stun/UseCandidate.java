package io.rtc4j.stun;

/** USE-CANDIDATE (RFC 8445 §16.1): no value. */
public record UseCandidate() implements StunAttribute {
    public static final UseCandidate INSTANCE = new UseCandidate();

    @Override
    public int type() {
        return AttributeType.USE_CANDIDATE;
    }
}
