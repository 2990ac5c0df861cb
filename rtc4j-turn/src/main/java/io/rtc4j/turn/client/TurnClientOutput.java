package io.rtc4j.turn.client;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * What {@link TurnClient#pollOutput()} asks of its driver: bytes to send to the TURN server, an event for the
 * application, or the time to call {@link TurnClient#handleTimeout} next. Drain after every call into the
 * client until a {@link Timeout} comes (str0m's rule).
 */
public sealed interface TurnClientOutput permits TurnClientOutput.Transmit, TurnClientOutput.Timeout, TurnClientEvent {

    /**
     * Bytes for the server: one datagram over UDP; over TCP/TLS, bytes to write to the connection in order
     * (already framed: STUN messages and ChannelData padded to 4 bytes, RFC 8656 §12.5). Read the buffer, do
     * not modify it; it may be kept (the client does not reuse it).
     */
    record Transmit(ByteBuffer data) implements TurnClientOutput {}

    /** Nothing more to do now: call {@link TurnClient#handleTimeout} at {@code at} ({@link Instant#MAX}: idle). */
    record Timeout(Instant at) implements TurnClientOutput {}
}
