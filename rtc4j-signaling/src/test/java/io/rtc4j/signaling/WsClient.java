package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A JDK WebSocket client for tests: collects text messages as JSON, the close code and the pings seen. */
final class WsClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    final LinkedBlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    final AtomicInteger pings = new AtomicInteger();
    final WebSocket ws;

    WsClient(HttpClient http, URI uri) {
        ws = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder text = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    try {
                        received.add(JSON.readTree(text.toString()));
                    } catch (Exception e) {
                        received.add(JSON.getNodeFactory().textNode("NOT JSON: " + text));
                    }
                    text.setLength(0);
                }
                w.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
                pings.incrementAndGet();
                w.request(1);
                return null; // the JDK answers with a pong itself
            }

            @Override
            public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket w, Throwable error) {
                closed.complete(-1);
            }
        }).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    WsClient send(String text) {
        ws.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        return this;
    }

    WsClient join(String room, String peer) {
        return send("{\"type\":\"join\",\"room_id\":\"" + room + "\",\"peer_id\":\"" + peer + "\"}");
    }

    /** The next message, waiting at most {@link #WAIT}. */
    JsonNode next() throws InterruptedException {
        JsonNode m = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError("no message within " + WAIT);
        }
        return m;
    }

    /** The next message, which must have this type. */
    JsonNode next(String type) throws InterruptedException {
        JsonNode m = next();
        if (!type.equals(m.path("type").asText())) {
            throw new AssertionError("expected " + type + " but got " + m);
        }
        return m;
    }

    /** Skips ice_servers and returns room_peers. */
    JsonNode joined() throws InterruptedException {
        next("ice_servers");
        return next("room_peers");
    }

    int awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        ws.abort();
    }
}
