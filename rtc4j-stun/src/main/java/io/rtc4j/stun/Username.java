package io.rtc4j.stun;

import java.nio.charset.StandardCharsets;

/** USERNAME (RFC 8489 §14.3): UTF-8, under 509 bytes on the wire; 513 accepted as peers differ. */
public record Username(String value) implements StunAttribute.TextAttribute {
    /** Maximum length in bytes of the UTF-8 encoding. */
    public static final int MAX_BYTES = 513;

    public Username {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("Username is limited to " + MAX_BYTES + " bytes");
        }
    }

    @Override
    public int type() {
        return AttributeType.USERNAME;
    }
}
