package io.rtc4j.dtls;

/** Why a {@link DtlsEndpoint} dropped an incoming datagram without giving it to the DTLS stack. */
public enum DtlsDropReason {
    /** Shorter than one 13-byte DTLS record header. */
    TRUNCATED_HEADER,
    /** First byte outside the DTLS 1.2 content types (RFC 7983 §7 sends 20-63 here; we speak 20-24). */
    NOT_A_DTLS_RECORD,
    /** A record version other than DTLS 1.0 (0xFEFF) or 1.2 (0xFEFD). */
    UNSUPPORTED_VERSION,
    /** A record length running past the end of the datagram, or above 2^14 + 2048 (RFC 6347 §4.1). */
    BAD_RECORD_LENGTH,
    /** Before {@link DtlsEndpoint#start}, the early buffer was full. */
    EARLY_BUFFER_FULL,
    /** The handshake thread's queue was full (peer flooding faster than we decrypt). */
    QUEUE_FULL,
    /** An application_data record seen before, or older than the replay window (RFC 6347 §4.1.2.6). */
    REPLAYED,
    /** An application_data record that failed AEAD authentication: forged, corrupted, or under another key. */
    AUTHENTICATION_FAILED,
    /** The association was closed or failed. */
    AFTER_CLOSE
}
