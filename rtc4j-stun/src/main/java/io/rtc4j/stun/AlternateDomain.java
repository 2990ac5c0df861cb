package io.rtc4j.stun;

import java.nio.charset.StandardCharsets;

/** ALTERNATE-DOMAIN (RFC 8489 §14.16): the server name to check in the TLS certificate. */
public record AlternateDomain(String value) implements StunAttribute.TextAttribute {
    /** Maximum length in bytes of the UTF-8 encoding. */
    public static final int MAX_BYTES = 255;

    public AlternateDomain {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("AlternateDomain is limited to " + MAX_BYTES + " bytes");
        }
    }

    @Override
    public int type() {
        return AttributeType.ALTERNATE_DOMAIN;
    }
}
