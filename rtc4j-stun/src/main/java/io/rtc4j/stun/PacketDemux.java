package io.rtc4j.stun;

import java.nio.ByteBuffer;

/**
 * The one first-byte demultiplexer for everything that shares a UDP 5-tuple with ICE: the peer connection,
 * the SFU and the TURN server all classify with it. RFC 7983 §7 table as updated by RFC 9443 §3:
 *
 * <pre>
 *   [0..3] STUN   [16..19] ZRTP   [20..63] DTLS   [64..79] TURN ChannelData
 *   [80..127] QUIC   [128..191] RTP/RTCP   [192..255] QUIC   anything else: drop
 * </pre>
 *
 * Where TURN channels are not in use, RFC 9443 lets QUIC short headers take 64-79 too; rtc4j always runs ICE
 * with TURN, so 64-79 stays ChannelData. Stateless and allocation-free; safe from any thread.
 */
public final class PacketDemux {
    private static final PacketKind[] TABLE = new PacketKind[256];

    static {
        for (int b = 0; b < 256; b++) {
            TABLE[b] = kindOf(b);
        }
    }

    private PacketDemux() {}

    /** The kind of a packet whose first byte is {@code firstByte} (only the low 8 bits count). */
    public static PacketKind classify(int firstByte) {
        return TABLE[firstByte & 0xFF];
    }

    /** The kind of the datagram between position and limit; {@link PacketKind#UNKNOWN} when empty. */
    public static PacketKind classify(ByteBuffer datagram) {
        return datagram.hasRemaining() ? TABLE[datagram.get(datagram.position()) & 0xFF] : PacketKind.UNKNOWN;
    }

    /** The kind of {@code length} bytes at {@code offset}; {@link PacketKind#UNKNOWN} when empty. */
    public static PacketKind classify(byte[] data, int offset, int length) {
        return length > 0 ? TABLE[data[offset] & 0xFF] : PacketKind.UNKNOWN;
    }

    private static PacketKind kindOf(int b) {
        if (b <= 3) {
            return PacketKind.STUN;
        } else if (b >= 16 && b <= 19) {
            return PacketKind.ZRTP;
        } else if (b >= 20 && b <= 63) {
            return PacketKind.DTLS;
        } else if (b >= 64 && b <= 79) {
            return PacketKind.TURN_CHANNEL;
        } else if (b >= 80 && b <= 127) {
            return PacketKind.QUIC;
        } else if (b >= 128 && b <= 191) {
            return PacketKind.RTP_RTCP;
        } else if (b >= 192) {
            return PacketKind.QUIC;
        }
        return PacketKind.UNKNOWN; // 4..15
    }
}
