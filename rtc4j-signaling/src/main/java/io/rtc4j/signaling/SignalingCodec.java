package io.rtc4j.signaling;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Stateless JSON codec of the signaling protocol. {@link #decode} never throws on input: anything that is not
 * a valid client message becomes a {@link Decoded.Invalid} with the error code to send back. Thread-safe.
 */
public final class SignalingCodec {
    /** Nesting deeper than this is not signaling (an SDP is a string, a candidate a flat object). */
    static final int MAX_DEPTH = 32;

    private final ObjectMapper mapper;
    private final JsonFactory factory;
    private final JsonNodeFactory nodes = JsonNodeFactory.instance;

    public SignalingCodec() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.factory = factory;
        mapper = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** The outcome of decoding one text message. */
    public sealed interface Decoded {
        record Ok(ClientMessage message) implements Decoded {}

        /** @param requestType the message's {@code type} when it had a string one, else null */
        record Invalid(SignalingErrorCode code, String detail, String requestType) implements Decoded {}
    }

    public Decoded decode(String text) {
        Decoded relay = RelayScan.scan(factory, text); // offer/answer/ice_candidate: no tree
        if (relay != null) {
            return relay;
        }
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JacksonException | IllegalArgumentException e) {
            return new Decoded.Invalid(SignalingErrorCode.BAD_JSON, "not valid JSON", null);
        }
        if (root == null || !root.isObject()) {
            return new Decoded.Invalid(SignalingErrorCode.BAD_JSON, "a message is a JSON object", null);
        }
        ObjectNode o = (ObjectNode) root;
        JsonNode typeNode = o.get("type");
        if (typeNode == null) {
            return new Decoded.Invalid(SignalingErrorCode.MISSING_FIELD, "missing field: type", null);
        }
        if (!typeNode.isTextual()) {
            return new Decoded.Invalid(SignalingErrorCode.INVALID_FIELD, "type must be a string", null);
        }
        String type = typeNode.textValue();
        try {
            ClientMessage m = switch (type) {
                case "join" -> new ClientMessage.Join(
                        new RoomId(requiredId(o, "room_id", type)),
                        new PeerId(requiredId(o, "peer_id", type)),
                        optionalString(o, "token", type),
                        optionalBoolean(o, "resumable"),
                        optionalString(o, "resume_token", type));
                case "leave" -> new ClientMessage.Leave();
                case "chat" -> new ClientMessage.Chat(requiredString(o, "text", type), optionalPeer(o, "target", type));
                case "broadcast" -> new ClientMessage.Broadcast(required(o, "data", type));
                case "presence" -> new ClientMessage.Presence(required(o, "state", type));
                case "ping" -> new ClientMessage.Ping();
                default -> null;
            };
            if (m == null) {
                return new Decoded.Invalid(SignalingErrorCode.UNKNOWN_TYPE, "unknown type: " + printable(type), printable(type));
            }
            return new Decoded.Ok(m);
        } catch (FieldException e) {
            return new Decoded.Invalid(e.code, e.getMessage(), type);
        }
    }

    private static JsonNode required(ObjectNode o, String field, String type) {
        JsonNode n = o.get(field);
        if (n == null) {
            throw new FieldException(SignalingErrorCode.MISSING_FIELD, "missing field: " + field);
        }
        return n;
    }

    private static String requiredString(ObjectNode o, String field, String type) {
        JsonNode n = required(o, field, type);
        if (!n.isTextual()) {
            throw new FieldException(SignalingErrorCode.INVALID_FIELD, field + " must be a string");
        }
        return n.textValue();
    }

    private static String requiredId(ObjectNode o, String field, String type) {
        String s = requiredString(o, field, type);
        if (!SignalingIds.valid(s, field.equals("room_id") ? RoomId.MAX_LENGTH : PeerId.MAX_LENGTH)) {
            throw new FieldException(SignalingErrorCode.INVALID_FIELD,
                    field + " must have 1 to " + (field.equals("room_id") ? RoomId.MAX_LENGTH : PeerId.MAX_LENGTH)
                            + " characters and no control characters");
        }
        return s;
    }

    private static String optionalString(ObjectNode o, String field, String type) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new FieldException(SignalingErrorCode.INVALID_FIELD, field + " must be a string");
        }
        return n.textValue();
    }

    private static boolean optionalBoolean(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw new FieldException(SignalingErrorCode.INVALID_FIELD, field + " must be true or false");
        }
        return n.booleanValue();
    }

    private static PeerId optionalPeer(ObjectNode o, String field, String type) {
        return o.get(field) == null || o.get(field).isNull() ? null : new PeerId(requiredId(o, field, type));
    }

    /** Echoes at most 64 printable characters of a client's string in an error. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || Character.isSurrogate(c) ? '?' : c);
        }
        return b.toString();
    }

    public String encode(ServerMessage m) {
        ObjectNode o = nodes.objectNode();
        switch (m) {
            case ServerMessage.RoomPeers r -> {
                o.put("type", "room_peers");
                ArrayNode peers = o.putArray("peers");
                r.peers().forEach(p -> peers.add(p.value()));
                o.put("room_id", r.room().value());
                o.put("peer_id", r.you().value());
                ObjectNode presence = o.putObject("presence");
                r.presence().forEach((p, s) -> presence.set(p.value(), s));
                if (r.resumeToken() != null) {
                    o.put("resume_token", r.resumeToken());
                }
                if (r.resumed()) {
                    o.put("resumed", true);
                }
            }
            case ServerMessage.PeerJoined j -> o.put("type", "peer_joined").put("peer_id", j.peer().value());
            case ServerMessage.PeerLeft l -> o.put("type", "peer_left").put("peer_id", l.peer().value());
            case ServerMessage.Relayed r -> {
                return relayed(r);
            }
            case ServerMessage.ChatReceived c -> o.put("type", "chat").put("from", c.from().value())
                    .put("text", c.text()).put("direct", c.direct());
            case ServerMessage.BroadcastReceived b -> {
                o.put("type", "broadcast").put("from", b.from().value());
                o.set("data", b.data());
            }
            case ServerMessage.PresenceChanged p -> {
                o.put("type", "presence").put("from", p.from().value());
                o.set("state", p.state());
            }
            case ServerMessage.IceServers s -> {
                o.put("type", "ice_servers");
                ArrayNode list = o.putArray("ice_servers");
                for (IceServer server : s.servers()) {
                    ObjectNode e = list.addObject();
                    ArrayNode urls = e.putArray("urls");
                    server.urls().forEach(urls::add);
                    if (server.username() != null) {
                        e.put("username", server.username()).put("credential", server.credential());
                    }
                }
            }
            case ServerMessage.Pong p -> o.put("type", "pong");
            case ServerMessage.Error e -> {
                o.put("type", "error").put("code", e.code().wireName()).put("message", e.message());
                if (e.requestType() != null) {
                    o.put("request_type", e.requestType());
                }
            }
        }
        try {
            return mapper.writeValueAsString(o);
        } catch (JacksonException e) {
            throw new IllegalStateException("a tree of decoded JSON always encodes", e);
        }
    }

    /**
     * The same message, {@code target} removed, {@code from} added, type first: spliced from the sender's
     * member text (see {@link RelayScan}), which is valid JSON because the whole message parsed.
     */
    private static String relayed(ServerMessage.Relayed r) {
        String members = r.members();
        StringBuilder b = new StringBuilder(members.length() + r.from().value().length() + 40);
        b.append("{\"type\":\"").append(r.kind().type()).append("\",\"from\":\"");
        JsonStringEncoder.getInstance().quoteAsString(r.from().value(), b);
        b.append('"');
        if (!members.isEmpty()) {
            b.append(',').append(members);
        }
        return b.append('}').toString();
    }

    /** Reads any JSON text into a tree (tests, token endpoint). Throws on bad input. */
    public JsonNode readTree(String text) throws JacksonException {
        return mapper.readTree(text);
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** A field-level decoding failure; control flow inside {@link #decode} only, never escapes it. */
    private static final class FieldException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient SignalingErrorCode code;

        FieldException(SignalingErrorCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
