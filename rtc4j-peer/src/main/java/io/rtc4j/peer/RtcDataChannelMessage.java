package io.rtc4j.peer;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One received message (W3C MessageEvent.data): text (PPID 51/56) or binary (PPID 53/57, RFC 8831 §8).
 * Empty messages have empty {@code data}. The array belongs to the receiver.
 */
public record RtcDataChannelMessage(boolean binary, byte[] data) {
    public RtcDataChannelMessage {
        Objects.requireNonNull(data, "data");
    }

    /** The text of a text message (UTF-8). */
    public String text() {
        return new String(data, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RtcDataChannelMessage[" + (binary ? "binary" : "text") + ", " + data.length + " bytes]";
    }
}
