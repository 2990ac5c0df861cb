package io.rtc4j.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The MACs and checksum of RFC 8489 §14.5-14.7 and the long-term key of §9.2.2. */
public final class StunIntegrity {
    /** RFC 8489 §14.7: the CRC-32 is XOR-ed with this so that it never matches an application CRC. */
    public static final int FINGERPRINT_XOR = 0x5354554E;

    private StunIntegrity() {}

    /**
     * HMAC over {@code message[0, end)} with the header's length field replaced by {@code length}, the value
     * it takes when the integrity attribute is the last one (RFC 8489 §14.5).
     */
    static byte[] hmac(byte[] message, int end, int length, byte[] key, boolean sha256) {
        try {
            Mac mac = Mac.getInstance(sha256 ? "HmacSHA256" : "HmacSHA1");
            // HMAC zero-pads the key to the block size, so an empty key (legal in STUN, refused by
            // SecretKeySpec) equals a one-zero-byte key
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, mac.getAlgorithm()));
            mac.update(message, 0, 2);
            mac.update((byte) (length >>> 8));
            mac.update((byte) length);
            mac.update(message, 4, end - 4);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA1/SHA256", e);
        }
    }

    /** CRC-32 of {@code message[0, end)} XOR 0x5354554E (RFC 8489 §14.7). */
    static int fingerprint(byte[] message, int offset, int end) {
        CRC32 crc = new CRC32();
        crc.update(message, offset, end - offset);
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /** The long-term key MD5(username ":" realm ":" password) (RFC 8489 §9.2.2, MD5 algorithm). */
    public static byte[] longTermKey(String username, String realm, String password) {
        return digest("MD5", username + ":" + realm + ":" + password);
    }

    /** The long-term key for PASSWORD-ALGORITHM SHA-256 (RFC 8489 §9.2.2). */
    public static byte[] longTermKeySha256(String username, String realm, String password) {
        return digest("SHA-256", username + ":" + realm + ":" + password);
    }

    /** USERHASH = SHA-256(username ":" realm) (RFC 8489 §14.4). */
    public static byte[] userHash(String username, String realm) {
        return digest("SHA-256", username + ":" + realm);
    }

    private static byte[] digest(String algorithm, String text) {
        try {
            return MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }
}
