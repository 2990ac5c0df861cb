package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What the server sends, encoded by {@link SignalingCodec}. */
public sealed interface ServerMessage {

    /**
     * {@code {"type":"room_peers","peers":[IDs already there],"presence":{ID:STATE}}} to a joiner; the
     * {@code presence} object (an extension) holds the peers that have set one; {@code resume_token} is there for a
     * resumable join, {@code "resumed":true} when the join took a held place back.
     */
    record RoomPeers(RoomId room, PeerId you, List<PeerId> peers, Map<PeerId, JsonNode> presence, String resumeToken,
            boolean resumed) implements ServerMessage {
        public RoomPeers {
            peers = List.copyOf(peers);
            presence = Map.copyOf(presence);
        }
    }

    /** {@code {"type":"peer_joined","peer_id":ID}}. */
    record PeerJoined(PeerId peer) implements ServerMessage {}

    /** {@code {"type":"peer_left","peer_id":ID}}. */
    record PeerLeft(PeerId peer) implements ServerMessage {}

    /** A {@link ClientMessage.Relay} as its target receives it: without {@code target}, with {@code from}. */
    record Relayed(PeerId from, ClientMessage.RelayKind kind, String members) implements ServerMessage {
        public Relayed {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(members, "members");
        }
    }

    /** {@code {"type":"chat","from":ID,"text":S,"direct":BOOL}}. */
    record ChatReceived(PeerId from, String text, boolean direct) implements ServerMessage {}

    /** {@code {"type":"broadcast","from":ID,"data":ANY}}. */
    record BroadcastReceived(PeerId from, JsonNode data) implements ServerMessage {}

    /** {@code {"type":"presence","from":ID,"state":ANY}}. */
    record PresenceChanged(PeerId from, JsonNode state) implements ServerMessage {}

    /** {@code {"type":"ice_servers","ice_servers":[{"urls":[..],"username":..,"credential":..}]}}, after room_peers. */
    record IceServers(List<IceServer> servers) implements ServerMessage {
        public IceServers {
            servers = List.copyOf(servers);
        }
    }

    /** {@code {"type":"pong"}}. */
    record Pong() implements ServerMessage {}

    /** {@code {"type":"error","code":CODE,"message":TEXT[,"request_type":TYPE]}}. */
    record Error(SignalingErrorCode code, String message, String requestType) implements ServerMessage {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }
}
