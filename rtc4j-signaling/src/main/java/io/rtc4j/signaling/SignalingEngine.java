package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The rooms of the signaling server as a sans-IO state machine: connections open, send text and close; the
 * engine answers with {@link SignalingOutput}s. No sockets, threads or clock: time comes in with every call.
 * Not thread-safe: one driver thread owns it; after each input, drain {@link #pollOutput()} until it returns
 * {@link SignalingOutput.Idle}.
 *
 * <p>Rules: a message only reaches peers of the sender's room; a join beyond capacity gets {@code room_full};
 * a duplicate peer id follows {@link DuplicatePeerPolicy}; with a token secret every join needs a valid token
 * for its room (and peer, when the token names one); each connection has a token-bucket rate limit; every bad
 * message gets an {@code error} and the connection stays usable. A peer that joined with {@code resumable}
 * keeps its place for {@link SignalingConfig#resumeGrace()} after a disconnect (messages to it are held,
 * bounded); a join with its {@code resume_token} takes the place back without the room noticing, otherwise
 * the room hears {@code peer_left} when the grace ends.
 */
public final class SignalingEngine {
    /** RFC 6455 §7.4.2 private-use close code: another connection took this peer id. */
    public static final int CLOSE_REPLACED = 4001;
    /** Close code for an old connection whose place a resume took over. */
    public static final int CLOSE_RESUMED_ELSEWHERE = 4002;
    /** Messages held for a disconnected resumable peer; one more and its place is given up. */
    static final int MAX_HELD_MESSAGES = 256;

    private final SignalingConfig config;
    private final SignalingCodec codec;
    private final IceServersProvider iceServers;
    private final AccessToken tokens;
    private final RandomGenerator random;
    private final List<Connection> detached = new ArrayList<>();
    private final Map<ConnectionId, Connection> connections = new HashMap<>();
    private final Map<RoomId, Map<PeerId, Connection>> rooms = new HashMap<>();
    private final ArrayDeque<SignalingOutput> output = new ArrayDeque<>();
    private final EnumMap<SignalingErrorCode, Long> errors = new EnumMap<>(SignalingErrorCode.class);
    private long relayed;
    private int joined;
    private volatile int roomCount;
    private volatile int peerCount;
    private volatile int connectionCount;

    /** @param random for resume tokens: a SecureRandom in production, seeded in tests */
    public SignalingEngine(SignalingConfig config, SignalingCodec codec, IceServersProvider iceServers, RandomGenerator random) {
        this.config = Objects.requireNonNull(config, "config");
        this.random = Objects.requireNonNull(random, "random");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.iceServers = Objects.requireNonNull(iceServers, "iceServers");
        this.tokens = config.tokensRequired() ? new AccessToken(config.tokenSecret()) : null;
    }

    private static final class Connection {
        final ConnectionId id;
        final String host;
        final String queryToken;
        final TokenBucket bucket;
        boolean limited;
        RoomId room;
        PeerId peer;
        JsonNode presence;
        /** Set for a resumable member. */
        String resumeToken;
        /** Set while the member's connection is gone and its place is held. */
        Instant heldUntil;
        ArrayDeque<String> held;

        Connection(ConnectionId id, String host, String queryToken, TokenBucket bucket) {
            this.id = id;
            this.host = host;
            this.queryToken = queryToken;
            this.bucket = bucket;
        }
    }

    /**
     * A WebSocket connection completed its handshake.
     *
     * @param host the Host the client used (for ICE server URLs), null if unknown
     * @param queryToken an access token from the URL ({@code /ws?token=...}), used when the join has none
     */
    public void connectionOpened(Instant now, ConnectionId id, String host, String queryToken) {
        if (connections.containsKey(id)) {
            throw new IllegalStateException("connection already open: " + id);
        }
        connections.put(id, new Connection(id, host, queryToken, new TokenBucket(config.ratePerSecond(), config.rateBurst(), now)));
        connectionCount = connections.size();
    }

    /** One text message arrived; the engine decodes it. */
    public void messageReceived(Instant now, ConnectionId id, String text) {
        Connection c = connections.get(id);
        if (c == null || !admit(now, c)) {
            return;
        }
        handle(now, c, codec.decode(text));
    }

    /** One text message arrived and was decoded by the transport (off the engine's thread). */
    public void decodedReceived(Instant now, ConnectionId id, SignalingCodec.Decoded decoded) {
        Connection c = connections.get(id);
        if (c == null || !admit(now, c)) {
            return;
        }
        handle(now, c, decoded);
    }

    /** The connection is gone (closed by either side, or broken): its room learns {@code peer_left}. */
    public void connectionClosed(Instant now, ConnectionId id) {
        Connection c = connections.remove(id);
        if (c == null) {
            return;
        }
        connectionCount = connections.size();
        if (c.room != null && c.resumeToken != null && !config.resumeGrace().isZero()) {
            c.heldUntil = now.plus(config.resumeGrace());
            c.held = new ArrayDeque<>();
            detached.add(c);
        } else {
            leaveRoom(c);
        }
    }

    /** Time passed: held places whose grace ended (or whose held messages overflowed) are given up. */
    public void handleTimeout(Instant now) {
        for (int i = detached.size() - 1; i >= 0; i--) {
            Connection c = detached.get(i);
            if (!now.isBefore(c.heldUntil)) {
                detached.remove(i);
                release(c);
            }
        }
    }

    public SignalingOutput pollOutput() {
        SignalingOutput o = output.poll();
        if (o != null) {
            return o;
        }
        Instant deadline = null;
        for (Connection c : detached) {
            if (deadline == null || c.heldUntil.isBefore(deadline)) {
                deadline = c.heldUntil;
            }
        }
        return new SignalingOutput.Idle(deadline);
    }

    /** Gives up a held place: the room hears peer_left. */
    private void release(Connection c) {
        c.heldUntil = null;
        c.held = null;
        leaveRoom(c);
    }

    private boolean admit(Instant now, Connection c) {
        if (c.bucket.tryTake(now)) {
            c.limited = false;
            return true;
        }
        if (!c.limited) {
            c.limited = true;
            error(c, SignalingErrorCode.RATE_LIMITED, "too many messages: dropped until the rate falls below "
                    + config.ratePerSecond() + "/s", null);
        } else {
            count(SignalingErrorCode.RATE_LIMITED);
        }
        return false;
    }

    private void handle(Instant now, Connection c, SignalingCodec.Decoded decoded) {
        switch (decoded) {
            case SignalingCodec.Decoded.Invalid bad -> error(c, bad.code(), bad.detail(), bad.requestType());
            case SignalingCodec.Decoded.Ok ok -> {
                switch (ok.message()) {
                    case ClientMessage.Join j -> join(now, c, j);
                    case ClientMessage.Leave l -> {
                        if (requireJoined(c, "leave")) {
                            leaveRoom(c);
                        }
                    }
                    case ClientMessage.Relay r -> relay(c, r);
                    case ClientMessage.Chat chat -> chat(c, chat);
                    case ClientMessage.Broadcast b -> {
                        if (requireJoined(c, "broadcast")) {
                            toOthers(c, codec.encode(new ServerMessage.BroadcastReceived(c.peer, b.data())));
                        }
                    }
                    case ClientMessage.Presence p -> {
                        if (requireJoined(c, "presence")) {
                            c.presence = p.state();
                            toOthers(c, codec.encode(new ServerMessage.PresenceChanged(c.peer, p.state())));
                        }
                    }
                    case ClientMessage.Ping p -> send(c, new ServerMessage.Pong());
                }
            }
        }
    }

    private void join(Instant now, Connection c, ClientMessage.Join j) {
        if (c.room != null) {
            error(c, SignalingErrorCode.ALREADY_JOINED, "already in room " + c.room + " as " + c.peer + "; leave first", "join");
            return;
        }
        if (tokens != null && !tokenAllows(now, c, j)) {
            return;
        }
        Map<PeerId, Connection> room = rooms.get(j.room());
        Connection existing = room == null ? null : room.get(j.peer());
        if (existing != null && j.resumeToken() != null && existing.resumeToken != null
                && java.security.MessageDigest.isEqual(existing.resumeToken.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        j.resumeToken().getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
            resume(now, c, existing, room);
            return;
        }
        if (existing != null && config.duplicatePeerPolicy() == DuplicatePeerPolicy.REJECT) {
            error(c, SignalingErrorCode.PEER_ID_TAKEN, "peer id " + j.peer() + " is in use in this room", "join");
            return;
        }
        int others = room == null ? 0 : room.size() - (existing == null ? 0 : 1);
        if (others >= config.maxPeersPerRoom()) {
            error(c, SignalingErrorCode.ROOM_FULL, "room is full (" + config.maxPeersPerRoom() + " peers)", "join");
            return;
        }
        if (existing != null) {
            if (existing.heldUntil != null) {
                detached.remove(existing);
                release(existing);
            } else {
                error(existing, SignalingErrorCode.REPLACED, "another connection joined as " + j.peer(), null);
                output.add(new SignalingOutput.Close(existing.id, CLOSE_REPLACED, "replaced"));
                leaveRoom(existing);
            }
            room = rooms.get(j.room());
        }
        if (room == null) {
            room = new LinkedHashMap<>();
            rooms.put(j.room(), room);
        }
        List<PeerId> present = new ArrayList<>(room.keySet());
        Map<PeerId, JsonNode> presence = new HashMap<>();
        room.values().forEach(p -> {
            if (p.presence != null) {
                presence.put(p.peer, p.presence);
            }
        });
        c.room = j.room();
        c.peer = j.peer();
        c.presence = null;
        c.resumeToken = j.resumable() && !config.resumeGrace().isZero() ? newResumeToken() : null;
        room.put(j.peer(), c);
        joined++;
        // ice_servers first, so that a client has its RTCConfiguration when room_peers makes it create
        // peer connections
        send(c, new ServerMessage.IceServers(iceServers.iceServers(j.room(), j.peer(), c.host, now)));
        send(c, new ServerMessage.RoomPeers(j.room(), j.peer(), present, presence, c.resumeToken, false));
        toOthers(c, codec.encode(new ServerMessage.PeerJoined(j.peer())));
        updateGauges();
    }

    /** c takes over old's place (held, or still connected): the room sees nothing, c gets what was held. */
    private void resume(Instant now, Connection c, Connection old, Map<PeerId, Connection> room) {
        ArrayDeque<String> held = old.held;
        if (old.heldUntil != null) {
            detached.remove(old);
        } else {
            output.add(new SignalingOutput.Close(old.id, CLOSE_RESUMED_ELSEWHERE, "resumed elsewhere"));
        }
        c.room = old.room;
        c.peer = old.peer;
        c.presence = old.presence;
        c.resumeToken = newResumeToken();
        room.put(c.peer, c);
        old.room = null;
        old.peer = null;
        old.presence = null;
        old.resumeToken = null;
        old.heldUntil = null;
        old.held = null;
        List<PeerId> present = new ArrayList<>();
        Map<PeerId, JsonNode> presence = new HashMap<>();
        room.values().forEach(p -> {
            if (p != c) {
                present.add(p.peer);
                if (p.presence != null) {
                    presence.put(p.peer, p.presence);
                }
            }
        });
        send(c, new ServerMessage.IceServers(iceServers.iceServers(c.room, c.peer, c.host, now)));
        send(c, new ServerMessage.RoomPeers(c.room, c.peer, present, presence, c.resumeToken, true));
        if (held != null) {
            held.forEach(json -> output.add(new SignalingOutput.Send(c.id, json)));
        }
    }

    private String newResumeToken() {
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    private boolean tokenAllows(Instant now, Connection c, ClientMessage.Join j) {
        String token = j.token() != null ? j.token() : c.queryToken;
        if (token == null) {
            error(c, SignalingErrorCode.TOKEN_REQUIRED, "this server requires an access token", "join");
            return false;
        }
        switch (tokens.verify(token, now)) {
            case AccessToken.Verified.Rejected r -> {
                error(c, r.code(), r.detail(), "join");
                return false;
            }
            case AccessToken.Verified.Valid v -> {
                if (!v.claims().room().equals(j.room())) {
                    error(c, SignalingErrorCode.TOKEN_WRONG_ROOM, "token is for another room", "join");
                    return false;
                }
                if (v.claims().peer() != null && !v.claims().peer().equals(j.peer())) {
                    error(c, SignalingErrorCode.TOKEN_WRONG_PEER, "token is for another peer id", "join");
                    return false;
                }
                return true;
            }
        }
    }

    private void relay(Connection c, ClientMessage.Relay r) {
        if (!requireJoined(c, r.kind().type())) {
            return;
        }
        Connection target = rooms.get(c.room).get(r.target());
        if (target == null || target == c) {
            error(c, SignalingErrorCode.UNKNOWN_TARGET, "no peer " + r.target() + " in this room", r.kind().type());
            return;
        }
        relayed++;
        send(target, new ServerMessage.Relayed(c.peer, r.kind(), r.members()));
    }

    private void chat(Connection c, ClientMessage.Chat chat) {
        if (!requireJoined(c, "chat")) {
            return;
        }
        if (chat.text().length() > config.maxChatChars()) {
            error(c, SignalingErrorCode.INVALID_FIELD, "text longer than " + config.maxChatChars() + " characters", "chat");
            return;
        }
        if (chat.target() == null) {
            toOthers(c, codec.encode(new ServerMessage.ChatReceived(c.peer, chat.text(), false)));
            return;
        }
        Connection target = rooms.get(c.room).get(chat.target());
        if (target == null || target == c) {
            error(c, SignalingErrorCode.UNKNOWN_TARGET, "no peer " + chat.target() + " in this room", "chat");
            return;
        }
        send(target, new ServerMessage.ChatReceived(c.peer, chat.text(), true));
    }

    private boolean requireJoined(Connection c, String type) {
        if (c.room == null) {
            error(c, SignalingErrorCode.NOT_JOINED, "join a room first", type);
            return false;
        }
        return true;
    }

    private void leaveRoom(Connection c) {
        if (c.room == null) {
            return;
        }
        Map<PeerId, Connection> room = rooms.get(c.room);
        room.remove(c.peer);
        joined--;
        if (room.isEmpty()) {
            rooms.remove(c.room);
        } else {
            toOthers(c, codec.encode(new ServerMessage.PeerLeft(c.peer)));
        }
        c.room = null;
        c.peer = null;
        c.presence = null;
        c.resumeToken = null;
        updateGauges();
    }

    /** To every other member of c's room (c must still be listed or already removed; it is skipped). */
    private void toOthers(Connection c, String json) {
        Map<PeerId, Connection> room = rooms.get(c.room);
        if (room == null) {
            return;
        }
        for (Connection other : room.values()) {
            if (other != c) {
                deliver(other, json);
            }
        }
    }

    private void send(Connection c, ServerMessage m) {
        deliver(c, codec.encode(m));
    }

    /** To a member's connection, or into its held queue while it is away (overflow: give the place up now). */
    private void deliver(Connection to, String json) {
        if (to.heldUntil == null) {
            output.add(new SignalingOutput.Send(to.id, json));
        } else if (to.held != null && to.held.size() < MAX_HELD_MESSAGES) {
            to.held.add(json);
        } else {
            to.held = null;
            to.heldUntil = Instant.MIN; // released at the next handleTimeout (Idle reports the deadline)
        }
    }

    private void error(Connection c, SignalingErrorCode code, String message, String requestType) {
        count(code);
        send(c, new ServerMessage.Error(code, message, requestType));
    }

    private void count(SignalingErrorCode code) {
        errors.merge(code, 1L, Long::sum);
    }

    private void updateGauges() {
        roomCount = rooms.size();
        peerCount = joined;
    }

    /** Counters for /health and tests; read from any thread (gauges are volatile, counters are a copy). */
    public record Stats(int rooms, int peers, int connections) {}

    public Stats stats() {
        return new Stats(roomCount, peerCount, connectionCount);
    }

    /** Errors sent (and rate-limited drops) by code. Engine thread only. */
    public Map<SignalingErrorCode, Long> errorCounts() {
        return new EnumMap<>(errors);
    }

    /** Messages relayed (offer/answer/ice_candidate). Engine thread only. */
    public long relayedCount() {
        return relayed;
    }
}
