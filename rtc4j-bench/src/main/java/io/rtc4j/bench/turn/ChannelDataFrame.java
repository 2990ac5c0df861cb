package io.rtc4j.bench.turn;

import java.nio.ByteBuffer;

/**
 * TURN ChannelData (RFC 8656 §12.4): a 4-byte header (channel number, payload length) and the payload,
 * padded to a multiple of 4 over stream transports only. Encoded here because the bench needs nothing more.
 */
final class ChannelDataFrame {
    static final int HEADER_LENGTH = 4;
    static final int MIN_CHANNEL = 0x4000;
    static final int MAX_CHANNEL = 0x4FFF;

    private ChannelDataFrame() {}

    /** Writes header and payload at the buffer's position (UDP: no padding, RFC 8656 §12.5). */
    static int encode(int channel, byte[] payload, ByteBuffer out) {
        if (channel < MIN_CHANNEL || channel > MAX_CHANNEL) {
            throw new IllegalArgumentException("channel numbers are 0x4000-0x4FFF: " + channel);
        }
        if (payload.length > 0xFFFF) {
            throw new IllegalArgumentException("payload too long: " + payload.length);
        }
        out.putShort((short) channel).putShort((short) payload.length).put(payload);
        return HEADER_LENGTH + payload.length;
    }

    /** A new array holding one frame. */
    static byte[] encode(int channel, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_LENGTH + payload.length);
        encode(channel, payload, b);
        return b.array();
    }

    /** RFC 7983: first byte 64-79 is ChannelData. */
    static boolean isChannelData(ByteBuffer in) {
        int first = in.get(in.position()) & 0xFF;
        return first >= 64 && first <= 79 && in.remaining() >= HEADER_LENGTH;
    }
}
