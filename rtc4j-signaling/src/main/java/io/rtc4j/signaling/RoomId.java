package io.rtc4j.signaling;

/** A room's name: 1-128 characters, no control characters. Rooms exist while they have peers. */
public record RoomId(String value) {
    public static final int MAX_LENGTH = 128;

    public RoomId {
        if (!SignalingIds.valid(value, MAX_LENGTH)) {
            throw new IllegalArgumentException("invalid room id");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
