package io.rtc4j.bench.turn;

import io.rtc4j.stun.StunMethod;
import java.io.IOException;

/** A TURN request that ended in an error response (RFC 8656 §18 / RFC 8489 §14.8 codes). */
final class TurnErrorException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;

    TurnErrorException(StunMethod method, int code, String reason) {
        super(method + " failed: " + code + " " + reason);
        this.code = code;
    }

    int code() {
        return code;
    }
}
