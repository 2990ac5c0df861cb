package io.rtc4j.stun;

/**
 * What a datagram on a shared WebRTC port is, by its first byte (RFC 7983 §7 as updated by RFC 9443 §3).
 * See {@link PacketDemux#classify}.
 */
public enum PacketKind {
    /** 0-3: STUN (RFC 8489), including ICE checks and TURN control messages. */
    STUN,
    /** 16-19: ZRTP (RFC 6189). */
    ZRTP,
    /** 20-63: DTLS records (content types 20-63, RFC 9443 §3). */
    DTLS,
    /** 64-79: TURN ChannelData (RFC 8656 §12; channel numbers 0x4000-0x4FFF per RFC 9443). */
    TURN_CHANNEL,
    /** 128-191: RTP or RTCP (version 2); RTCP is told apart by payload type later (RFC 5761 §4). */
    RTP_RTCP,
    /** 80-127 (short header) and 192-255 (long header): QUIC (RFC 9443 §3). */
    QUIC,
    /** Empty, or a first byte no protocol claims (4-15, and 64-79 is never this): drop it. */
    UNKNOWN
}
