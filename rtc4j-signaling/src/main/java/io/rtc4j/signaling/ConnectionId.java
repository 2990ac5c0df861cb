package io.rtc4j.signaling;

/** One WebSocket connection, numbered by the transport. A connection may join, leave and join again. */
public record ConnectionId(long value) {
    @Override
    public String toString() {
        return "c" + value;
    }
}
