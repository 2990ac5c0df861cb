package io.rtc4j.stun;

import java.nio.charset.StandardCharsets;

/** SOFTWARE (RFC 8489 §14.14). */
public record Software(String value) implements StunAttribute.TextAttribute {
    /** Maximum length in bytes of the UTF-8 encoding. */
    public static final int MAX_BYTES = 763;

    public Software {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("Software is limited to " + MAX_BYTES + " bytes");
        }
    }

    @Override
    public int type() {
        return AttributeType.SOFTWARE;
    }
}
