package io.rtc4j.dtls;

import java.util.Optional;

/**
 * DTLS-SRTP protection profiles rtc4j negotiates (RFC 5764 §4.1.2, RFC 7714 §14.2), with the key and salt
 * lengths that size the exported keying material (RFC 5764 §4.2).
 */
public enum SrtpProfile {
    /** RFC 7714: AES-128-GCM, 16-byte key, 12-byte salt. Preferred, as browsers do. */
    SRTP_AEAD_AES_128_GCM(0x0007, 16, 12),
    /** RFC 5764: AES-128 counter mode with HMAC-SHA1 80-bit tag, 16-byte key, 14-byte salt. */
    SRTP_AES128_CM_HMAC_SHA1_80(0x0001, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    /** The two-byte SRTPProtectionProfile value of the use_srtp extension. */
    public int id() {
        return id;
    }

    public int keyLength() {
        return keyLength;
    }

    public int saltLength() {
        return saltLength;
    }

    /** Bytes to export with {@code EXTRACTOR-dtls_srtp}: 2 * (key + salt). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    public static Optional<SrtpProfile> fromId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
