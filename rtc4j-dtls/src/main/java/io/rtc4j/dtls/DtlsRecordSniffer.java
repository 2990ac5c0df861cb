package io.rtc4j.dtls;

import java.util.Optional;

/**
 * Checks a datagram's DTLS record framing (RFC 6347 §4.1) before it reaches BouncyCastle, so that junk from the
 * network becomes a counted drop at the door. Stateless; reads only the headers, never decrypts.
 */
public final class DtlsRecordSniffer {
    /** Type(1) version(2) epoch(2) sequence(6) length(2). */
    public static final int RECORD_HEADER_LENGTH = 13;
    /** RFC 6347 §4.1 (via RFC 5246 §6.2.3): ciphertext at most 2^14 + 2048. */
    public static final int MAX_RECORD_BODY = (1 << 14) + 2048;

    private static final int CHANGE_CIPHER_SPEC = 20;
    // tls12_cid (25, RFC 9146) has another header layout; we never negotiate connection ids.
    private static final int HEARTBEAT = 24;

    private DtlsRecordSniffer() {}

    /**
     * True if the first byte says "DTLS" in the RFC 7983 §7 demultiplexing table (20..63), the test a demux runs
     * before handing a datagram to DTLS.
     */
    public static boolean looksLikeDtls(byte firstByte) {
        int b = firstByte & 0xFF;
        return b >= 20 && b <= 63;
    }

    /** Empty if every record in {@code data[off, off+len)} is well framed, else why not. */
    public static Optional<DtlsDropReason> check(byte[] data, int off, int len) {
        if (off < 0 || len < 0 || off > data.length - len) {
            throw new IllegalArgumentException("bad slice " + off + "+" + len + " of " + data.length);
        }
        if (len < RECORD_HEADER_LENGTH) {
            return Optional.of(DtlsDropReason.TRUNCATED_HEADER);
        }
        int p = off;
        int end = off + len;
        // At most len / 13 records fit: the loop is bounded by the datagram.
        while (p < end) {
            if (end - p < RECORD_HEADER_LENGTH) {
                return Optional.of(DtlsDropReason.TRUNCATED_HEADER);
            }
            int type = data[p] & 0xFF;
            // change_cipher_spec(20) alert(21) handshake(22) application_data(23) heartbeat(24)
            if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT) {
                return Optional.of(DtlsDropReason.NOT_A_DTLS_RECORD);
            }
            int major = data[p + 1] & 0xFF;
            int minor = data[p + 2] & 0xFF;
            // DTLS 1.0 = {254, 255}, DTLS 1.2 = {254, 253}; a 1.2 ClientHello may carry 1.0 (RFC 6347 §4.2.1).
            if (major != 0xFE || (minor != 0xFF && minor != 0xFD)) {
                return Optional.of(DtlsDropReason.UNSUPPORTED_VERSION);
            }
            int length = ((data[p + 11] & 0xFF) << 8) | (data[p + 12] & 0xFF);
            if (length > MAX_RECORD_BODY || length > end - p - RECORD_HEADER_LENGTH) {
                return Optional.of(DtlsDropReason.BAD_RECORD_LENGTH);
            }
            p += RECORD_HEADER_LENGTH + length;
        }
        return Optional.empty();
    }
}
