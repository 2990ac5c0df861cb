package io.rtc4j.dtls;

import java.util.Optional;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.TlsUtils;

/**
 * The AEAD record ciphers rtc4j protects itself once the handshake is done, with their key-block sizes
 * (RFC 5246 §6.3): AES-GCM per RFC 5288 (4-byte implicit salt, 8-byte explicit nonce) and ChaCha20-Poly1305 per
 * RFC 7905 (12-byte implicit IV). Other negotiated suites (CBC) stay on BouncyCastle's record layer.
 */
enum RecordSuite {
    AES_128_GCM(16, 4, 8),
    AES_256_GCM(32, 4, 8),
    CHACHA20_POLY1305(32, 12, 0);

    private final int keyLength;
    private final int fixedIvLength;
    private final int explicitNonceLength;

    RecordSuite(int keyLength, int fixedIvLength, int explicitNonceLength) {
        this.keyLength = keyLength;
        this.fixedIvLength = fixedIvLength;
        this.explicitNonceLength = explicitNonceLength;
    }

    static Optional<RecordSuite> of(int cipherSuite) {
        return switch (TlsUtils.getEncryptionAlgorithm(cipherSuite)) {
            case EncryptionAlgorithm.AES_128_GCM -> Optional.of(AES_128_GCM);
            case EncryptionAlgorithm.AES_256_GCM -> Optional.of(AES_256_GCM);
            case EncryptionAlgorithm.CHACHA20_POLY1305 -> Optional.of(CHACHA20_POLY1305);
            default -> Optional.empty();
        };
    }

    int keyLength() {
        return keyLength;
    }

    int fixedIvLength() {
        return fixedIvLength;
    }

    int explicitNonceLength() {
        return explicitNonceLength;
    }

    boolean gcm() {
        return this != CHACHA20_POLY1305;
    }

    /** client_write_key, server_write_key, client_write_IV, server_write_IV (no MAC keys for AEAD). */
    int keyBlockLength() {
        return 2 * (keyLength + fixedIvLength);
    }
}
