package io.rtc4j.turn;

import java.nio.ByteBuffer;

/**
 * ChannelData framing (RFC 8656 §12.4): channel number, length, application data; padded to a multiple of 4
 * over stream transports (§12.5). RFC 8656 narrowed channel numbers to 0x4000-0x4FFF, but RFC 5766 clients
 * (coturn's turnutils among them) still pick from 0x4000-0x7FFF, so this server accepts the old range like
 * coturn does; on a TURN port the first bytes 0x50-0x7F clash with nothing else (RFC 7983).
 */
public final class ChannelData {
    public static final int HEADER_LENGTH = 4;
    public static final int MIN_CHANNEL = 0x4000;
    public static final int MAX_CHANNEL = 0x7FFF;

    private ChannelData() {}

    /** The first two bits of ChannelData are 01 (channel 0x4000-0x7FFF). */
    public static boolean isChannelData(ByteBuffer in) {
        return in.remaining() >= HEADER_LENGTH && (in.get(in.position()) & 0xC0) == 0x40;
    }

    public static boolean isValidChannel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /**
     * For stream transports: the total length of the STUN message or ChannelData frame (with padding) at the
     * buffer's position, or -1 while fewer than 4 bytes are available.
     */
    public static int frameLength(ByteBuffer in) {
        if (in.remaining() < HEADER_LENGTH) {
            return -1;
        }
        int p = in.position();
        int length = in.getShort(p + 2) & 0xFFFF;
        if ((in.get(p) & 0xC0) == 0x40) {
            return HEADER_LENGTH + ((length + 3) & ~3);
        }
        return 20 + length;
    }

    /** Writes header and payload into {@code out}, padding for stream transports. */
    public static void encode(int channel, ByteBuffer payload, ByteBuffer out, boolean pad) {
        int length = payload.remaining();
        out.putShort((short) channel).putShort((short) length).put(payload.duplicate());
        if (pad) {
            for (int i = (4 - (length & 3)) & 3; i > 0; i--) {
                out.put((byte) 0);
            }
        }
    }
}
