package io.rtc4j.turn.client;

import io.rtc4j.stun.StunCodec;
import io.rtc4j.turn.ChannelData;
import java.nio.ByteBuffer;

/**
 * Splits a TCP/TLS byte stream from the server into STUN messages and padded ChannelData frames (RFC 8656
 * §12.5, via {@link ChannelData#frameLength}), whatever the reads look like: partial frames wait for the rest,
 * several frames in one read come out one by one. Frames are slices of an internal buffer, valid until the next
 * {@link #append}, which compacts it.
 *
 * <p>Bounded: no frame is longer than {@link #MAX_FRAME}, so at most one partial frame is kept between reads
 * (the buffer holds that plus one read, and shrinks back after a large read). A frame that can be neither STUN
 * nor ChannelData means the stream has lost its framing for good (a stream cannot resynchronise): the framer
 * then reports {@link #broken()} and drops everything, and the connection must be closed.
 */
final class StreamFramer {
    /** The longest frame: padded ChannelData, 4 + 65535 + 1; a STUN message is at most 20 + 65532. */
    static final int MAX_FRAME = ChannelData.HEADER_LENGTH + 0x10000;
    private static final int INITIAL = 4096;

    private ByteBuffer buffer = ByteBuffer.allocate(INITIAL); // [position, limit) unread
    private boolean broken;

    StreamFramer() {
        buffer.limit(0);
    }

    /** Adds bytes read from the connection (all of them are consumed); earlier frames become invalid. */
    void append(ByteBuffer in) {
        if (broken) {
            in.position(in.limit());
            return;
        }
        int unread = buffer.remaining();
        int needed = unread + in.remaining();
        if (needed > buffer.capacity() || (buffer.capacity() > 2 * MAX_FRAME && needed <= INITIAL)) {
            ByteBuffer resized = ByteBuffer.allocate(Math.max(needed, INITIAL));
            resized.put(buffer);
            buffer = resized;
        } else {
            buffer.compact();
        }
        buffer.put(in);
        buffer.flip();
    }

    /** The next whole frame, or null until more bytes come (always null once broken). */
    ByteBuffer next() {
        if (broken || !buffer.hasRemaining()) {
            return null;
        }
        if (!plausible()) {
            broken = true;
            buffer.position(buffer.limit());
            return null;
        }
        int length = ChannelData.frameLength(buffer);
        if (length < 0 || length > buffer.remaining()) {
            return null;
        }
        ByteBuffer frame = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return frame;
    }

    /** True once the stream carried something that is no TURN frame. */
    boolean broken() {
        return broken;
    }

    /** Bytes of a frame that has not fully arrived yet. */
    int pending() {
        return buffer.remaining();
    }

    /** The buffer's size, for tests of the bound. */
    int capacity() {
        return buffer.capacity();
    }

    // what the first bytes of a frame can be, checked as soon as they are there
    private boolean plausible() {
        int p = buffer.position();
        int n = buffer.remaining();
        int first = buffer.get(p) & 0xFF;
        if (first >= 0x40 && first <= 0x4F) {
            return true; // RFC 8656 §12: channel numbers 0x4000-0x4FFF; 0x5000-0xFFFF are reserved
        }
        if ((first & 0xC0) != 0) {
            return false; // RFC 7983: neither STUN nor ChannelData
        }
        if (n >= 4 && (buffer.getShort(p + 2) & 3) != 0) {
            return false; // RFC 8489 §5: a STUN message length is a multiple of 4
        }
        return n < 8 || buffer.getInt(p + 4) == StunCodec.MAGIC_COOKIE; // RFC 8489 §5
    }
}
