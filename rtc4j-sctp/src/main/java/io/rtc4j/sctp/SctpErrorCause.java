package io.rtc4j.sctp;

import java.util.Objects;

/** One error cause in ABORT or ERROR (RFC 9260 §3.3.10); {@code info} is the cause-specific value. */
record SctpErrorCause(int code, byte[] info) {
    static final int INVALID_STREAM = 1, MISSING_MANDATORY_PARAMETER = 2, STALE_COOKIE = 3, OUT_OF_RESOURCE = 4,
            UNRECOGNIZED_CHUNK_TYPE = 6, INVALID_MANDATORY_PARAMETER = 7, UNRECOGNIZED_PARAMETERS = 8,
            NO_USER_DATA = 9, COOKIE_WHILE_SHUTTING_DOWN = 10, USER_INITIATED_ABORT = 12, PROTOCOL_VIOLATION = 13;

    SctpErrorCause {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("cause code out of range: " + code);
        }
        Objects.requireNonNull(info, "info");
    }

    static SctpErrorCause of(int code, String text) {
        return new SctpErrorCause(code, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
