package io.rtc4j.stun;

import java.nio.charset.StandardCharsets;

/** NONCE (RFC 8489 §14.10): fewer than 128 characters, up to 763 bytes. */
public record Nonce(String value) implements StunAttribute.TextAttribute {
    /** Maximum length in bytes of the UTF-8 encoding. */
    public static final int MAX_BYTES = 763;

    public Nonce {
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("Nonce is limited to " + MAX_BYTES + " bytes");
        }
    }

    @Override
    public int type() {
        return AttributeType.NONCE;
    }
}
