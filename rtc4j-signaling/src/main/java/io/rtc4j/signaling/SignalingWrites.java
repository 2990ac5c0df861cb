package io.rtc4j.signaling;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writes of one engine batch, grouped by the event loop that owns each channel: channels on the engine's
 * own loop are written at once, the others' writes travel as one task per loop per batch (one wakeup, not
 * one per message), and every channel is flushed once per batch, after all its writes. A close queues behind
 * the messages before it. Engine loop only, except {@link #runBatch}, which runs on the owning loop.
 */
final class SignalingWrites {
    private static final Logger log = LoggerFactory.getLogger(SignalingWrites.class);

    private final EventLoop engineLoop;
    private final Map<EventLoop, List<Object>> remote = new IdentityHashMap<>();
    private final List<Object> local = new ArrayList<>();

    /** A close after what was sent before it (RFC 6455 §7.4 code). */
    private record CloseAfter(Channel channel, int code, String reason) {}

    SignalingWrites(EventLoop engineLoop) {
        this.engineLoop = engineLoop;
    }

    void send(Channel ch, String json) {
        batchOf(ch).add(ch);
        batchOf(ch).add(json);
    }

    void close(Channel ch, int code, String reason) {
        batchOf(ch).add(new CloseAfter(ch, code, reason));
    }

    private List<Object> batchOf(Channel ch) {
        EventLoop loop = ch.eventLoop();
        return loop == engineLoop ? local : remote.computeIfAbsent(loop, l -> new ArrayList<>());
    }

    /** End of an engine batch: writes and flushes this loop's channels, hands the rest to their loops. */
    void flush() {
        if (!local.isEmpty()) {
            try {
                runBatch(local);
            } finally {
                local.clear(); // never written twice, even after a failure
            }
        }
        if (remote.isEmpty()) {
            return;
        }
        for (Map.Entry<EventLoop, List<Object>> e : remote.entrySet()) {
            List<Object> batch = e.getValue();
            try {
                e.getKey().execute(() -> runBatch(batch));
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                batch.clear();
            }
        }
        remote.clear();
    }

    /** On the loop that owns every channel in the batch: [Channel, String]... or CloseAfter entries. */
    private static void runBatch(List<Object> batch) {
        Set<Channel> written = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < batch.size(); i++) {
            Object o = batch.get(i);
            if (o instanceof CloseAfter c) {
                if (written.remove(c.channel())) {
                    c.channel().flush();
                }
                SignalingServer.closeWith(c.channel(), c.code(), c.reason());
                continue;
            }
            Channel ch = (Channel) o;
            String json = (String) batch.get(++i);
            if (!ch.isActive()) {
                continue;
            }
            if (!ch.isWritable()) {
                // a client that does not read its messages (1 MiB queued): a close frame would queue behind
                // the rest, so drop the connection; its room hears peer_left
                log.debug("event=slow_consumer_closed channel={}", ch.id());
                ch.close();
                continue;
            }
            // String.getBytes is an intrinsic and the copy a bulk one; Netty's per-character writeUtf8 into a direct
            // buffer was the hottest frame of the loops when Unsafe is unavailable (JDK 25)
            byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
            ch.write(new TextWebSocketFrame(ch.alloc().buffer(utf8.length).writeBytes(utf8)), ch.voidPromise());
            written.add(ch);
        }
        for (Channel ch : written) {
            ch.flush();
        }
    }
}
