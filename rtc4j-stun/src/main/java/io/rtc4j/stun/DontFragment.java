package io.rtc4j.stun;

/** DONT-FRAGMENT (RFC 8656 §18.8): no value. */
public record DontFragment() implements StunAttribute {
    public static final DontFragment INSTANCE = new DontFragment();

    @Override
    public int type() {
        return AttributeType.DONT_FRAGMENT;
    }
}
