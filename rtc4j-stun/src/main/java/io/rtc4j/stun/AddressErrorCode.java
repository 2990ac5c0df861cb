package io.rtc4j.stun;

import java.util.Objects;

/** ADDRESS-ERROR-CODE (RFC 8656 §18.12): why one family of a dual-stack Allocate failed. */
public record AddressErrorCode(AddressFamily family, int code, String reason) implements StunAttribute {
    public AddressErrorCode {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(reason, "reason");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error codes are 300..699: " + code);
        }
    }

    @Override
    public int type() {
        return AttributeType.ADDRESS_ERROR_CODE;
    }
}
