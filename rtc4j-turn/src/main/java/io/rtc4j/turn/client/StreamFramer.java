package io.rtc4j.turn.client;

import io.rtc4j.turn.ChannelData;
import java.nio.ByteBuffer;

/**
 * Splits a TCP/TLS byte stream from the server into STUN messages and padded ChannelData frames (RFC 8656
 * §12.5, via {@link ChannelData#frameLength}). Frames are slices of an internal buffer, valid until the
 * next {@link #append}, which compacts it.
 */
final class StreamFramer {
    private ByteBuffer buffer = ByteBuffer.allocate(4096); // [position, limit) unread

    StreamFramer() {
        buffer.limit(0);
    }

    /** Adds bytes read from the connection; earlier frames become invalid. */
    void append(ByteBuffer in) {
        int unread = buffer.remaining();
        int needed = unread + in.remaining();
        if (needed > buffer.capacity()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, buffer.capacity() * 2));
            bigger.put(buffer);
            buffer = bigger;
        } else {
            buffer.compact();
        }
        buffer.put(in);
        buffer.flip();
    }

    /** The next whole frame, or null until more bytes come. */
    ByteBuffer next() {
        int length = ChannelData.frameLength(buffer);
        if (length < 0 || length > buffer.remaining()) {
            return null;
        }
        ByteBuffer frame = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return frame;
    }

    /** Bytes of a frame that has not fully arrived yet. */
    int pending() {
        return buffer.remaining();
    }
}
