package io.rtc4j.stun;

/**
 * What the encoder appends after the attributes: MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5),
 * MESSAGE-INTEGRITY-SHA256 (§14.6) and FINGERPRINT (§14.7), in that order. The key is the short-term
 * password or the long-term key (§9.2.2); it is not copied.
 */
public record StunProtection(byte[] key, boolean sha1, boolean sha256, boolean fingerprint) {
    public static final StunProtection NONE = new StunProtection(null, false, false, false);
    public static final StunProtection FINGERPRINT = new StunProtection(null, false, false, true);

    public StunProtection {
        if ((sha1 || sha256) && key == null) {
            throw new IllegalArgumentException("message integrity needs a key");
        }
    }

    /** MESSAGE-INTEGRITY with {@code key}. */
    public static StunProtection integrity(byte[] key) {
        return new StunProtection(key, true, false, false);
    }

    /** MESSAGE-INTEGRITY-SHA256 with {@code key}. */
    public static StunProtection integritySha256(byte[] key) {
        return new StunProtection(key, false, true, false);
    }

    public StunProtection withFingerprint() {
        return new StunProtection(key, sha1, sha256, true);
    }
}
