package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * What a client sends on {@code /ws}, decoded by {@link SignalingCodec}. The base protocol is {@link Join},
 * {@link Relay} (offer/answer/ice_candidate) and the implicit leave of a disconnect; the rest are rtc4j
 * extensions. JSON values inside records come from the codec and are never modified afterwards.
 */
public sealed interface ClientMessage {

    /**
     * {@code {"type":"join","peer_id":ID,"room_id":ROOM[,"token":JWT][,"resumable":true][,"resume_token":T]}}:
     * {@code resumable} asks the server to hold the peer's place for a grace period after a disconnect;
     * {@code resume_token} (from an earlier {@code room_peers}) takes that place back without the room noticing.
     */
    record Join(RoomId room, PeerId peer, String token, boolean resumable, String resumeToken) implements ClientMessage {
        public Join {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /** {@code {"type":"leave"}}: leaves the room, the connection stays open and may join again. */
    record Leave() implements ClientMessage {}

    /**
     * {@code {"type":"offer"|"answer"|"ice_candidate","target":ID,...}}: forwarded to the target as the same
     * object without {@code target} and with {@code from}.
     *
     * @param members the message's top-level members other than {@code type}, {@code target} and {@code from},
     *     as the client wrote them, comma-separated (JSON object content without the braces; may be empty)
     */
    record Relay(RelayKind kind, PeerId target, String members) implements ClientMessage {
        public Relay {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(members, "members");
        }
    }

    /** {@code {"type":"chat","text":S[,"target":ID]}}: to everyone else in the room, or to one peer. */
    record Chat(String text, PeerId target) implements ClientMessage {
        public Chat {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code {"type":"broadcast","data":ANY}}: any JSON value to everyone else in the room. */
    record Broadcast(JsonNode data) implements ClientMessage {
        public Broadcast {
            Objects.requireNonNull(data, "data");
        }
    }

    /** {@code {"type":"presence","state":ANY}}: the peer's state (name, muted, ...), kept and shown to joiners. */
    record Presence(JsonNode state) implements ClientMessage {
        public Presence {
            Objects.requireNonNull(state, "state");
        }
    }

    /** {@code {"type":"ping"}}: answered with {@code pong}, for clients (browsers) that cannot send WebSocket pings. */
    record Ping() implements ClientMessage {}

    /** The three message types of the base protocol that carry negotiation to one target. */
    enum RelayKind {
        OFFER("offer", "offer"),
        ANSWER("answer", "answer"),
        ICE_CANDIDATE("ice_candidate", "candidate");

        private final String type;
        private final String payloadField;

        RelayKind(String type, String payloadField) {
            this.type = type;
            this.payloadField = payloadField;
        }

        public String type() {
            return type;
        }

        /** The field that must be present (its value may be null: the end-of-candidates marker). */
        public String payloadField() {
            return payloadField;
        }
    }
}
