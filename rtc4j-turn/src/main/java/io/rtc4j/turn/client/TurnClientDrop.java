package io.rtc4j.turn.client;

/** Why the client ignored input from the server: counted in {@link TurnClient#dropped}, never thrown. */
public enum TurnClientDrop {
    /** Neither STUN nor ChannelData (RFC 7983 first byte). */
    NOT_STUN_OR_CHANNEL_DATA,
    /** Looked like STUN or ChannelData but did not decode. */
    MALFORMED,
    /** A request, or an indication other than Data. */
    UNEXPECTED_MESSAGE,
    /** A response to no outstanding request: duplicate, late or unknown (RFC 8489 §6.3.3). */
    UNMATCHED_RESPONSE,
    /** A response to an authenticated request without valid MESSAGE-INTEGRITY (RFC 8489 §9.2.5). */
    INTEGRITY,
    /** A Data indication without XOR-PEER-ADDRESS or DATA (RFC 8656 §10.4). */
    MISSING_ATTRIBUTE,
    /** An indication with a comprehension-required attribute this client does not know (RFC 8489 §6.3.2). */
    UNKNOWN_ATTRIBUTE,
    /** ChannelData on a channel this client never bound (RFC 8656 §12.6). */
    UNKNOWN_CHANNEL,
    /** A Data indication from a peer the client has no permission for (RFC 8656 §10.4). */
    NO_PERMISSION,
    /** Data while there is no allocation. */
    NO_ALLOCATION,
    /**
     * TCP/TLS bytes that are no STUN message or ChannelData frame (RFC 8656 §12.5): the stream has lost its
     * framing; counted once per input after that, and the allocation ends with {@link
     * TurnClientEvent.EndReason#STREAM_CORRUPTED}.
     */
    STREAM_CORRUPTED
}
