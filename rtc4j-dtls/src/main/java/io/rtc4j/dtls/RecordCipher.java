package io.rtc4j.dtls;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD protection of DTLS 1.2 records with one direction's key: AES-GCM (RFC 5288 §3: a 4-byte salt from the key
 * block and an 8-byte explicit nonce carried in the record) or ChaCha20-Poly1305 (RFC 7905 §2: a 12-byte IV from
 * the key block XORed with the record's epoch and sequence number, no explicit nonce). The additional data is
 * RFC 5246 §6.2.3.3's with DTLS's 8-byte epoch-and-sequence (RFC 6347 §4.1.2.1). The JDK's ciphers do the work
 * (AES-NI for GCM). Not thread-safe: the caller serializes use.
 */
final class RecordCipher {
    static final int HEADER = DtlsRecordSniffer.RECORD_HEADER_LENGTH;
    static final int TAG = 16;

    private final RecordSuite suite;
    private final SecretKeySpec key;
    private final byte[] fixedIv;
    private final Cipher cipher;
    private final byte[] aad = new byte[13];
    private final byte[] nonce = new byte[12];

    RecordCipher(RecordSuite suite, byte[] key, byte[] fixedIv) {
        if (key.length != suite.keyLength() || fixedIv.length != suite.fixedIvLength()) {
            throw new IllegalArgumentException("key or IV length does not fit " + suite);
        }
        this.suite = suite;
        this.key = new SecretKeySpec(key, suite.gcm() ? "AES" : "ChaCha20");
        this.fixedIv = fixedIv.clone();
        try {
            this.cipher = Cipher.getInstance(suite.gcm() ? "AES/GCM/NoPadding" : "ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks " + suite, e);
        }
    }

    /** Bytes a record adds to its plaintext: header, explicit nonce and tag. */
    int overhead() {
        return HEADER + suite.explicitNonceLength() + TAG;
    }

    /**
     * One whole record of content {@code type} at {@code epochAndSeq} (epoch in the top 16 bits) carrying
     * {@code data[off, off+len)}.
     */
    byte[] seal(int type, long epochAndSeq, byte[] data, int off, int len) {
        int explicit = suite.explicitNonceLength();
        int bodyLength = explicit + len + TAG;
        byte[] record = new byte[HEADER + bodyLength];
        record[0] = (byte) type;
        record[1] = (byte) 0xFE;
        record[2] = (byte) 0xFD;
        putLong(record, 3, epochAndSeq, 8);
        putLong(record, 11, bodyLength, 2);
        if (explicit > 0) {
            putLong(record, HEADER, epochAndSeq, 8); // unique per record, as RFC 5288 §3 requires
        }
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, parameters(epochAndSeq, record, HEADER));
            cipher.updateAAD(additionalData(type, epochAndSeq, record[1], record[2], len));
            int n = cipher.doFinal(data, off, len, record, HEADER + explicit);
            if (n != len + TAG) {
                throw new IllegalStateException("cipher wrote " + n + " bytes for " + len);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("record encryption failed", e);
        }
        return record;
    }

    /**
     * The plaintext of the record at {@code record[off]} whose header was already checked for framing, or null if
     * it does not authenticate (a forgery, a corrupted record, or another key's).
     */
    byte[] open(byte[] record, int off) {
        int type = record[off] & 0xFF;
        long epochAndSeq = getLong(record, off + 3, 8);
        int bodyLength = (int) getLong(record, off + 11, 2);
        int explicit = suite.explicitNonceLength();
        int plainLength = bodyLength - explicit - TAG;
        if (plainLength < 0) {
            return null;
        }
        byte[] plain = new byte[plainLength];
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, parameters(epochAndSeq, record, off + HEADER));
            cipher.updateAAD(additionalData(type, epochAndSeq, record[off + 1], record[off + 2], plainLength));
            int n = cipher.doFinal(record, off + HEADER + explicit, plainLength + TAG, plain, 0);
            return n == plainLength ? plain : null;
        } catch (AEADBadTagException e) {
            return null;
        } catch (InvalidKeyException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("record decryption failed", e);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }

    private AlgorithmParameterSpec parameters(long epochAndSeq, byte[] record, int explicitAt) {
        if (suite.gcm()) {
            System.arraycopy(fixedIv, 0, nonce, 0, 4);
            System.arraycopy(record, explicitAt, nonce, 4, 8);
            return new GCMParameterSpec(TAG * 8, nonce);
        }
        System.arraycopy(fixedIv, 0, nonce, 0, 12);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] ^= (byte) (epochAndSeq >>> (56 - 8 * i));
        }
        return new IvParameterSpec(nonce);
    }

    private byte[] additionalData(int type, long epochAndSeq, byte major, byte minor, int plainLength) {
        putLong(aad, 0, epochAndSeq, 8);
        aad[8] = (byte) type;
        aad[9] = major;
        aad[10] = minor;
        putLong(aad, 11, plainLength, 2);
        return aad;
    }

    static void putLong(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[off + i] = (byte) (v >>> (8 * (bytes - 1 - i)));
        }
    }

    static long getLong(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = 0; i < bytes; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
