package io.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The room rules, deterministic: the engine on a virtual clock, no sockets. */
class SignalingEngineTest {
    private static final SignalingConfig OPEN = SignalingConfig.defaults();

    private static String join(String room, String peer) {
        return "{\"type\":\"join\",\"room_id\":\"" + room + "\",\"peer_id\":\"" + peer + "\"}";
    }

    private static List<String> types(List<JsonNode> msgs) {
        return msgs.stream().map(m -> m.get("type").asText()).toList();
    }

    @Test
    void baseProtocolExactly() {
        EngineHarness h = new EngineHarness(OPEN);
        var a = h.open();
        h.send(a, join("r", "alice"));
        List<JsonNode> toA = h.take(a);
        assertThat(types(toA)).containsExactly("ice_servers", "room_peers");
        assertThat(toA.get(1).get("peers")).isEmpty();

        var b = h.open();
        h.send(b, join("r", "bob"));
        List<JsonNode> toB = h.take(b);
        assertThat(toB.get(1).get("type").asText()).isEqualTo("room_peers");
        assertThat(toB.get(1).get("peers").toString()).isEqualTo("[\"alice\"]");
        assertThat(h.take(a)).singleElement().hasToString("{\"type\":\"peer_joined\",\"peer_id\":\"bob\"}");

        h.send(b, "{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
        assertThat(h.take(a)).singleElement()
                .hasToString("{\"type\":\"offer\",\"from\":\"bob\",\"offer\":{\"type\":\"offer\",\"sdp\":\"v=0\\r\\n\"}}");
        h.send(a, "{\"type\":\"answer\",\"target\":\"bob\",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
        assertThat(h.take(b)).singleElement()
                .hasToString("{\"type\":\"answer\",\"from\":\"alice\",\"answer\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}}");
        h.send(a, "{\"type\":\"ice_candidate\",\"target\":\"bob\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 1 10.0.0.1 9 typ host\",\"sdpMid\":\"0\"}}");
        JsonNode cand = h.take(b).get(0);
        assertThat(cand.get("from").asText()).isEqualTo("alice");
        assertThat(cand.has("target")).isFalse();
        assertThat(cand.get("candidate").get("sdpMid").asText()).isEqualTo("0");
        // end-of-candidates: a null candidate is relayed as null
        h.send(a, "{\"type\":\"ice_candidate\",\"target\":\"bob\",\"candidate\":null}");
        assertThat(h.take(b).get(0).get("candidate").isNull()).isTrue();

        h.send(b, "{\"type\":\"leave\"}");
        assertThat(h.take(a)).singleElement().hasToString("{\"type\":\"peer_left\",\"peer_id\":\"bob\"}");
        assertThat(h.engine.stats()).isEqualTo(new SignalingEngine.Stats(1, 1, 2));
    }

    @Test
    void roomsAreIsolated() {
        EngineHarness h = new EngineHarness(OPEN);
        var a = h.joined("one", "alice");
        var b = h.joined("one", "bob");
        var x = h.joined("two", "bob2");
        var y = h.open();
        h.send(y, join("two", "alice")); // same peer id, other room: allowed, and alice of "one" sees nothing
        assertThat(h.take(y).get(1).get("peers").toString()).isEqualTo("[\"bob2\"]");
        h.take(a);
        h.take(x);
        h.send(x, "{\"type\":\"offer\",\"target\":\"bob\",\"offer\":{}}");
        assertThat(types(h.take(x))).containsExactly("error");
        h.send(x, "{\"type\":\"chat\",\"text\":\"hi\"}");
        h.send(x, "{\"type\":\"broadcast\",\"data\":1}");
        h.close(x);
        assertThat(h.take(a)).isEmpty();
        assertThat(h.take(b)).isEmpty();
        assertThat(types(h.take(y))).containsExactly("chat", "broadcast", "peer_left");
    }

    @Test
    void duplicatePeerIdReplacesTheOldConnectionByDefault() {
        EngineHarness h = new EngineHarness(OPEN);
        var a = h.joined("r", "alice");
        var old = h.joined("r", "bob");
        h.take(a);
        var fresh = h.open();
        h.send(fresh, join("r", "bob"));
        assertThat(h.take(old)).singleElement().satisfies(e -> assertThat(e.get("code").asText()).isEqualTo("replaced"));
        assertThat(h.closed).containsEntry(old, SignalingEngine.CLOSE_REPLACED);
        assertThat(types(h.take(a))).containsExactly("peer_left", "peer_joined");
        assertThat(h.take(fresh).get(1).get("peers").toString()).isEqualTo("[\"alice\"]");
        h.close(old); // the transport reports the old socket closed: nobody hears of it again
        assertThat(h.take(a)).isEmpty();
        h.send(a, "{\"type\":\"offer\",\"target\":\"bob\",\"offer\":{}}");
        assertThat(types(h.take(fresh))).containsExactly("offer");
    }

    @Test
    void duplicatePeerIdIsRejectedWhenConfigured() {
        EngineHarness h = new EngineHarness(OPEN.toBuilder().duplicatePeerPolicy(DuplicatePeerPolicy.REJECT).build());
        var a = h.joined("r", "alice");
        var dup = h.open();
        h.send(dup, join("r", "alice"));
        assertThat(h.take(dup)).singleElement().satisfies(e -> assertThat(e.get("code").asText()).isEqualTo("peer_id_taken"));
        assertThat(h.take(a)).isEmpty();
        assertThat(h.closed).isEmpty();
        h.send(dup, join("r", "alice2")); // still usable
        assertThat(types(h.take(dup))).containsExactly("ice_servers", "room_peers");
    }

    @Test
    void roomCapacity() {
        EngineHarness h = new EngineHarness(OPEN.toBuilder().maxPeersPerRoom(2).build());
        h.joined("r", "a");
        var b = h.joined("r", "b");
        var c = h.open();
        h.send(c, join("r", "c"));
        assertThat(h.take(c)).singleElement().satisfies(e -> assertThat(e.get("code").asText()).isEqualTo("room_full"));
        h.send(b, "{\"type\":\"leave\"}");
        h.send(c, join("r", "c"));
        assertThat(types(h.take(c))).containsExactly("ice_servers", "room_peers");
        var d = h.open();
        h.send(d, join("r", "a")); // replacing an existing peer does not need a free slot
        assertThat(types(h.take(d))).containsExactly("ice_servers", "room_peers");
    }

    @Test
    void badInputGetsAnErrorAndTheConnectionStaysUsable() {
        EngineHarness h = new EngineHarness(OPEN);
        var a = h.joined("r", "alice");
        var b = h.joined("r", "bob");
        h.take(a);
        String[][] cases = {
            {"{not json", "bad_json"},
            {"[1,2]", "bad_json"},
            {"{\"type\":\"join\"} trailing", "bad_json"},
            {"{\"type\":\"offer\",\"type\":\"answer\"}", "bad_json"},
            {"{}", "missing_field"},
            {"{\"type\":7}", "invalid_field"},
            {"{\"type\":\"dance\"}", "unknown_type"},
            {"{\"type\":\"offer\",\"offer\":{}}", "missing_field"},
            {"{\"type\":\"offer\",\"target\":\"bob\"}", "missing_field"},
            {"{\"type\":\"answer\",\"target\":5,\"answer\":{}}", "invalid_field"},
            {"{\"type\":\"ice_candidate\",\"target\":\"nobody\",\"candidate\":{}}", "unknown_target"},
            {"{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{}}", "unknown_target"},
            {"{\"type\":\"chat\"}", "missing_field"},
            {"{\"type\":\"join\",\"room_id\":\"x\",\"peer_id\":\"alice\"}", "already_joined"},
            {"{\"type\":\"join\",\"room_id\":\"\",\"peer_id\":\"p\"}", "invalid_field"},
            {"[" .repeat(100) + "]".repeat(100), "bad_json"},
        };
        for (String[] c : cases) {
            h.send(a, c[0]);
            List<JsonNode> got = h.take(a);
            assertThat(got).as(c[0]).singleElement().satisfies(e -> {
                assertThat(e.get("type").asText()).isEqualTo("error");
                assertThat(e.get("code").asText()).isEqualTo(c[1]);
            });
        }
        assertThat(h.take(b)).isEmpty();
        h.send(a, "{\"type\":\"offer\",\"target\":\"bob\",\"offer\":{}}");
        assertThat(types(h.take(b))).containsExactly("offer");
        var lone = h.open();
        h.send(lone, "{\"type\":\"offer\",\"target\":\"bob\",\"offer\":{}}");
        assertThat(h.take(lone).get(0).get("code").asText()).isEqualTo("not_joined");
    }

    @Test
    void disconnectMidNegotiationTellsTheRoom() {
        EngineHarness h = new EngineHarness(OPEN);
        var a = h.joined("r", "alice");
        var b = h.joined("r", "bob");
        var c = h.joined("r", "carol");
        h.take(a);
        h.take(b);
        h.send(c, "{\"type\":\"offer\",\"target\":\"alice\",\"offer\":{}}");
        h.close(c);
        assertThat(types(h.take(a))).containsExactly("offer", "peer_left");
        assertThat(h.take(b)).singleElement().hasToString("{\"type\":\"peer_left\",\"peer_id\":\"carol\"}");
        h.send(a, "{\"type\":\"answer\",\"target\":\"carol\",\"answer\":{}}");
        assertThat(h.take(a).get(0).get("code").asText()).isEqualTo("unknown_target");
    }

    @Test
    void rateLimitDropsBeyondTheBucketAndRecovers() {
        EngineHarness h = new EngineHarness(OPEN.toBuilder().rateLimit(10, 5).build());
        var a = h.open();
        for (int i = 0; i < 8; i++) {
            h.send(a, "{\"type\":\"ping\"}");
        }
        // 5 pongs, then one rate_limited error for the whole burst of drops
        assertThat(types(h.take(a))).containsExactly("pong", "pong", "pong", "pong", "pong", "error");
        assertThat(h.engine.errorCounts()).containsEntry(SignalingErrorCode.RATE_LIMITED, 3L);
        h.clock.advance(Duration.ofMillis(100)); // one token back
        h.send(a, "{\"type\":\"ping\"}");
        h.send(a, "{\"type\":\"ping\"}");
        assertThat(types(h.take(a))).containsExactly("pong", "error");
        h.clock.advance(Duration.ofSeconds(10));
        for (int i = 0; i < 5; i++) {
            h.send(a, "{\"type\":\"ping\"}");
        }
        assertThat(types(h.take(a))).containsExactly("pong", "pong", "pong", "pong", "pong");
    }

    @Test
    void tokensRequiredValidExpiredWrongRoomWrongPeer() {
        byte[] secret = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
        EngineHarness h = new EngineHarness(OPEN.toBuilder().tokenSecret(secret).build());
        AccessToken tokens = new AccessToken(secret);
        String good = tokens.mint(new RoomId("r"), new PeerId("alice"), Duration.ofSeconds(60), h.clock.now());
        var c = h.open();
        h.send(c, join("r", "alice"));
        assertThat(h.take(c).get(0).get("code").asText()).isEqualTo("token_required");
        h.send(c, "{\"type\":\"join\",\"room_id\":\"other\",\"peer_id\":\"alice\",\"token\":\"" + good + "\"}");
        assertThat(h.take(c).get(0).get("code").asText()).isEqualTo("token_wrong_room");
        h.send(c, "{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"mallory\",\"token\":\"" + good + "\"}");
        assertThat(h.take(c).get(0).get("code").asText()).isEqualTo("token_wrong_peer");
        String forged = tokens.mint(new RoomId("r"), new PeerId("alice"), Duration.ofSeconds(60), h.clock.now());
        forged = forged.substring(0, forged.length() - 2) + (forged.endsWith("AA") ? "BB" : "AA");
        h.send(c, "{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"token\":\"" + forged + "\"}");
        assertThat(h.take(c).get(0).get("code").asText()).isEqualTo("token_invalid");
        h.send(c, "{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"token\":\"" + good + "\"}");
        assertThat(types(h.take(c))).containsExactly("ice_servers", "room_peers");

        var q = h.open(tokens.mint(new RoomId("r"), null, Duration.ofSeconds(60), h.clock.now())); // ?token=, any peer
        h.send(q, join("r", "bob"));
        assertThat(types(h.take(q))).containsExactly("ice_servers", "room_peers");

        h.clock.advance(Duration.ofSeconds(60));
        var late = h.open();
        h.send(late, "{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"alice\",\"token\":\"" + good + "\"}");
        assertThat(h.take(late).get(0).get("code").asText()).isEqualTo("token_expired");
    }

    @Test
    void iceServersChatBroadcastPresence() {
        IceServersProvider ice = (room, peer, host, now) -> List.of(
                IceServer.stun("stun:" + host + ":3478"),
                new IceServer(List.of("turn:" + host + ":3478?transport=udp"), now.getEpochSecond() + ":" + peer, "pw"));
        EngineHarness h = new EngineHarness(OPEN, ice);
        var a = h.open();
        h.send(a, join("r", "alice"));
        JsonNode servers = h.take(a).get(0);
        assertThat(servers.toString()).isEqualTo("{\"type\":\"ice_servers\",\"ice_servers\":[{\"urls\":[\"stun:127.0.0.1:3478\"]},"
                + "{\"urls\":[\"turn:127.0.0.1:3478?transport=udp\"],\"username\":\"" + h.clock.now().getEpochSecond()
                + ":alice\",\"credential\":\"pw\"}]}");
        h.send(a, "{\"type\":\"presence\",\"state\":{\"name\":\"Alice\"}}");
        var b = h.open();
        h.send(b, join("r", "bob"));
        JsonNode peers = h.take(b).get(1);
        assertThat(peers.get("presence").toString()).isEqualTo("{\"alice\":{\"name\":\"Alice\"}}");
        h.take(a);
        h.send(b, "{\"type\":\"chat\",\"text\":\"hello\"}");
        h.send(b, "{\"type\":\"chat\",\"text\":\"psst\",\"target\":\"alice\"}");
        h.send(b, "{\"type\":\"broadcast\",\"data\":{\"k\":[1,2]}}");
        h.send(b, "{\"type\":\"presence\",\"state\":{\"muted\":true}}");
        assertThat(h.take(a).stream().map(JsonNode::toString).toList()).containsExactly(
                "{\"type\":\"chat\",\"from\":\"bob\",\"text\":\"hello\",\"direct\":false}",
                "{\"type\":\"chat\",\"from\":\"bob\",\"text\":\"psst\",\"direct\":true}",
                "{\"type\":\"broadcast\",\"from\":\"bob\",\"data\":{\"k\":[1,2]}}",
                "{\"type\":\"presence\",\"from\":\"bob\",\"state\":{\"muted\":true}}");
        assertThat(h.take(b)).isEmpty(); // nothing echoed to the sender
    }
}
