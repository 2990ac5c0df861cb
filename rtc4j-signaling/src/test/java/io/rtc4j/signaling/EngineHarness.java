package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rtc4j.testkit.SimClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Drives a {@link SignalingEngine} on a {@link SimClock} and sorts its output per connection. */
final class EngineHarness {
    final SimClock clock = new SimClock();
    final SignalingEngine engine;
    final Map<ConnectionId, List<JsonNode>> inbox = new HashMap<>();
    final Map<ConnectionId, Integer> closed = new HashMap<>();
    private final ObjectMapper json = new ObjectMapper();
    private long next = 1;

    EngineHarness(SignalingConfig config, IceServersProvider ice) {
        engine = new SignalingEngine(config, new SignalingCodec(), ice);
    }

    EngineHarness(SignalingConfig config) {
        this(config, IceServersProvider.NONE);
    }

    ConnectionId open() {
        return open(null);
    }

    ConnectionId open(String queryToken) {
        ConnectionId id = new ConnectionId(next++);
        engine.connectionOpened(clock.now(), id, "127.0.0.1", queryToken);
        drain();
        return id;
    }

    void send(ConnectionId c, String text) {
        engine.messageReceived(clock.now(), c, text);
        drain();
    }

    void close(ConnectionId c) {
        engine.connectionClosed(clock.now(), c);
        drain();
    }

    /** Joins and returns the connection, with its inbox emptied. */
    ConnectionId joined(String room, String peer) {
        ConnectionId c = open();
        send(c, "{\"type\":\"join\",\"room_id\":\"" + room + "\",\"peer_id\":\"" + peer + "\"}");
        take(c);
        return c;
    }

    /** Everything received since the last take, in order. */
    List<JsonNode> take(ConnectionId c) {
        List<JsonNode> got = inbox.getOrDefault(c, List.of());
        inbox.put(c, new ArrayList<>());
        return got;
    }

    private void drain() {
        for (SignalingOutput o = engine.pollOutput(); !(o instanceof SignalingOutput.Idle); o = engine.pollOutput()) {
            switch (o) {
                case SignalingOutput.Send s -> {
                    try {
                        inbox.computeIfAbsent(s.to(), k -> new ArrayList<>()).add(json.readTree(s.json()));
                    } catch (Exception e) {
                        throw new AssertionError("engine sent invalid JSON: " + s.json(), e);
                    }
                }
                case SignalingOutput.Close cl -> closed.put(cl.connection(), cl.code());
                case SignalingOutput.Idle i -> {}
            }
        }
    }
}
