package io.rtc4j.stun;

import java.util.Objects;

/** ERROR-CODE (RFC 8489 §14.8): a code 300..699 and a reason phrase. */
public record ErrorCode(int code, String reason) implements StunAttribute {
    // RFC 8489 §14.8
    public static final int TRY_ALTERNATE = 300;
    public static final int BAD_REQUEST = 400;
    public static final int UNAUTHENTICATED = 401;
    public static final int FORBIDDEN = 403;
    public static final int UNKNOWN_ATTRIBUTE = 420;
    public static final int STALE_NONCE = 438;
    public static final int ROLE_CONFLICT = 487;
    public static final int SERVER_ERROR = 500;
    // RFC 8656 §18
    public static final int REQUEST_TIMED_OUT = 408;
    public static final int ALLOCATION_MISMATCH = 437;
    public static final int ADDRESS_FAMILY_NOT_SUPPORTED = 440;
    public static final int WRONG_CREDENTIALS = 441;
    public static final int UNSUPPORTED_TRANSPORT_PROTOCOL = 442;
    public static final int PEER_ADDRESS_FAMILY_MISMATCH = 443;
    public static final int ALLOCATION_QUOTA_REACHED = 486;
    public static final int INSUFFICIENT_CAPACITY = 508;

    public ErrorCode {
        Objects.requireNonNull(reason, "reason");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("error codes are 300..699: " + code);
        }
    }

    /** An ERROR-CODE with the RFC's recommended reason phrase. */
    public static ErrorCode of(int code) {
        return new ErrorCode(code, defaultReason(code));
    }

    public static String defaultReason(int code) {
        return switch (code) {
            case TRY_ALTERNATE -> "Try Alternate";
            case BAD_REQUEST -> "Bad Request";
            case UNAUTHENTICATED -> "Unauthenticated";
            case FORBIDDEN -> "Forbidden";
            case REQUEST_TIMED_OUT -> "Request Timed Out";
            case UNKNOWN_ATTRIBUTE -> "Unknown Attribute";
            case ALLOCATION_MISMATCH -> "Allocation Mismatch";
            case STALE_NONCE -> "Stale Nonce";
            case ADDRESS_FAMILY_NOT_SUPPORTED -> "Address Family not Supported";
            case WRONG_CREDENTIALS -> "Wrong Credentials";
            case UNSUPPORTED_TRANSPORT_PROTOCOL -> "Unsupported Transport Protocol";
            case PEER_ADDRESS_FAMILY_MISMATCH -> "Peer Address Family Mismatch";
            case ALLOCATION_QUOTA_REACHED -> "Allocation Quota Reached";
            case ROLE_CONFLICT -> "Role Conflict";
            case SERVER_ERROR -> "Server Error";
            case INSUFFICIENT_CAPACITY -> "Insufficient Capacity";
            default -> "Error " + code;
        };
    }

    @Override
    public int type() {
        return AttributeType.ERROR_CODE;
    }
}
