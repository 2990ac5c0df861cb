package io.rtc4j.signaling;

/** A peer's id inside a room, as the client chose it in {@code join}: 1-64 characters, no control characters. */
public record PeerId(String value) {
    public static final int MAX_LENGTH = 64;

    public PeerId {
        if (!SignalingIds.valid(value, MAX_LENGTH)) {
            throw new IllegalArgumentException("invalid peer id");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
