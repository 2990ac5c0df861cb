package io.rtc4j.signaling;

/** The {@code code} of an {@code error} message; the connection stays usable unless stated. */
public enum SignalingErrorCode {
    /** Not JSON, not an object, trailing data or duplicate keys. */
    BAD_JSON("bad_json"),
    UNKNOWN_TYPE("unknown_type"),
    MISSING_FIELD("missing_field"),
    /** A field of the wrong JSON type, or an id that is empty, too long or has control characters. */
    INVALID_FIELD("invalid_field"),
    NOT_JOINED("not_joined"),
    ALREADY_JOINED("already_joined"),
    /** The target of a relayed message is not in the sender's room. */
    UNKNOWN_TARGET("unknown_target"),
    ROOM_FULL("room_full"),
    /** {@link DuplicatePeerPolicy#REJECT}: the peer id is in use in that room. */
    PEER_ID_TAKEN("peer_id_taken"),
    /** {@link DuplicatePeerPolicy#REPLACE}: sent to the old connection, which is then closed. */
    REPLACED("replaced"),
    TOKEN_REQUIRED("token_required"),
    TOKEN_INVALID("token_invalid"),
    TOKEN_EXPIRED("token_expired"),
    TOKEN_NOT_YET_VALID("token_not_yet_valid"),
    TOKEN_WRONG_ROOM("token_wrong_room"),
    TOKEN_WRONG_PEER("token_wrong_peer"),
    /** The per-connection token bucket is empty: the message was dropped. Sent once per burst of drops. */
    RATE_LIMITED("rate_limited");

    private final String wireName;

    SignalingErrorCode(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
