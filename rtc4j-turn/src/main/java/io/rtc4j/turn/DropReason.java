package io.rtc4j.turn;

/** Why the engine dropped an input: every drop is counted under one of these (metrics label). */
public enum DropReason {
    MALFORMED,
    NOT_STUN_OR_CHANNEL_DATA,
    UNEXPECTED_CLASS,
    UNKNOWN_ATTRIBUTE_IN_INDICATION,
    NO_ALLOCATION,
    NO_PERMISSION,
    CHANNEL_NOT_BOUND,
    MISSING_ATTRIBUTE,
    BANDWIDTH_LIMIT,
    PEER_FAMILY_MISMATCH,
    FORBIDDEN_PEER,
    SEND_FAILED,
    TOO_LARGE
}
