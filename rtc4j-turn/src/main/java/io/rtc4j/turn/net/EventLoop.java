package io.rtc4j.turn.net;

import io.rtc4j.turn.DropReason;
import io.rtc4j.turn.FiveTuple;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.TurnOutput;
import io.rtc4j.turn.TurnServerEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One driver thread: a selector over this loop's UDP listener sockets, relay sockets and TCP/TLS
 * connections, feeding one {@link TurnServerEngine}. Everything here runs on the loop's thread; other
 * threads talk to it only through {@link #execute}.
 */
final class EventLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    /** Datagrams read from one socket before the loop looks at the others (fairness under flood). */
    private static final int READ_BUDGET = 64;
    /** Room in front of every received datagram so the engine can prepend a ChannelData header in place. */
    static final int HEADROOM = 4;

    final Selector selector;
    private TurnServerEngine engine;
    private final InstantSource clock;
    private final Map<InetSocketAddress, DatagramChannel> udpListeners = new HashMap<>();
    private final Map<FiveTuple, StreamConnection> streams = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer rx = ByteBuffer.allocateDirect(HEADROOM + 65536 + 4);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private Instant deadline = Instant.MAX;

    EventLoop(InstantSource clock) throws IOException {
        this.selector = Selector.open();
        this.clock = clock;
    }

    void setEngine(TurnServerEngine engine) {
        this.engine = engine;
    }

    TurnServerEngine engine() {
        return engine;
    }

    /** Registers a bound UDP listener socket (called before the thread starts). */
    void addUdpListener(DatagramChannel ch, InetSocketAddress local) throws IOException {
        ch.configureBlocking(false);
        ch.register(selector, SelectionKey.OP_READ, new UdpListener(ch, local));
        udpListeners.put(local, ch);
    }

    record UdpListener(DatagramChannel channel, InetSocketAddress local) {}

    /** Runs {@code task} on the loop thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Adopts an accepted TCP connection (from the acceptor's thread). */
    void adopt(SocketChannel ch, TransportProtocol transport, SSLContext tls) {
        execute(() -> {
            try {
                StreamConnection c = StreamConnection.open(this, ch, transport, tls);
                streams.put(c.tuple, c);
            } catch (IOException e) {
                log.debug("event=accept_failed error=\"{}\"", e.toString());
                closeQuietly(ch);
            }
        });
    }

    @Override
    public void run() {
        try {
            while (running) {
                long waitMs = waitMillis(clock.instant());
                if (waitMs == 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMs);
                }
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Instant now = clock.instant();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    handle(key, now);
                }
                if (!now.isBefore(deadline)) {
                    engine.handleTimeout(now);
                    drain();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.error("event=loop_failed error=\"{}\"", e.toString(), e);
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private long waitMillis(Instant now) {
        if (deadline == Instant.MAX) {
            return 1000;
        }
        long ms = Duration.between(now, deadline).toMillis() + 1;
        return Math.max(0, Math.min(ms, 1000));
    }

    private void handle(SelectionKey key, Instant now) {
        if (!key.isValid()) {
            return;
        }
        try {
            switch (key.attachment()) {
                case UdpListener l -> readUdp(l.channel(), now, l, null);
                case UdpRelay r -> readUdp(r.channel, now, null, r);
                case StreamConnection c -> c.onReady(key, now);
                case Acceptor a -> a.accept();
                default -> {}
            }
        } catch (IOException e) {
            if (key.attachment() instanceof StreamConnection c) {
                closeStream(c, now);
            }
        }
    }

    private void readUdp(DatagramChannel ch, Instant now, UdpListener listener, UdpRelay relay) throws IOException {
        for (int i = 0; i < READ_BUDGET; i++) {
            rx.clear().position(HEADROOM);
            InetSocketAddress from = (InetSocketAddress) ch.receive(rx);
            if (from == null) {
                return;
            }
            rx.limit(rx.position()).position(HEADROOM);
            if (listener != null) {
                engine.handleClientInput(now, new FiveTuple(TransportProtocol.UDP, from, listener.local()), rx);
            } else {
                engine.handlePeerInput(now, relay, from, rx);
            }
            drain();
        }
    }

    /** Input from a stream connection, one framed message at a time. */
    void streamInput(StreamConnection c, Instant now, ByteBuffer frame) {
        engine.handleClientInput(now, c.tuple, frame);
        drain();
    }

    void closeStream(StreamConnection c, Instant now) {
        if (streams.remove(c.tuple) != null) {
            c.close();
            engine.handleConnectionClosed(now, c.tuple);
            drain();
        }
    }

    /** Sends what the engine produced, until it has nothing left but a deadline. */
    void drain() {
        while (true) {
            switch (engine.pollOutput()) {
                case TurnOutput.ToPeer p -> send(((UdpRelay) p.relay()).channel, p.data(), p.peer());
                case TurnOutput.ToClient c -> toClient(c);
                case TurnOutput.AllocationCreated a -> log.info(
                        "event=allocation_created client=\"{}\" user=\"{}\" relays=\"{}\" lifetime={}",
                        a.tuple(), a.username(), a.relays(), a.lifetimeSeconds());
                case TurnOutput.AllocationDeleted d -> log.info(
                        "event=allocation_deleted client=\"{}\" user=\"{}\" reason={}", d.tuple(), d.username(), d.reason());
                case TurnOutput.Timeout t -> {
                    deadline = t.at();
                    return;
                }
            }
        }
    }

    private void toClient(TurnOutput.ToClient c) {
        FiveTuple t = c.tuple();
        if (t.transport() == TransportProtocol.UDP) {
            DatagramChannel ch = udpListeners.get(t.server());
            if (ch != null) {
                send(ch, c.data(), t.client());
            }
            return;
        }
        StreamConnection conn = streams.get(t);
        if (conn != null && !conn.write(c.data())) {
            engine.metrics().drop(DropReason.SEND_FAILED);
        }
    }

    private void send(DatagramChannel ch, ByteBuffer data, InetSocketAddress to) {
        try {
            if (ch.send(data, to) == 0) {
                engine.metrics().drop(DropReason.SEND_FAILED); // socket buffer full: UDP may drop
            }
        } catch (IOException e) {
            engine.metrics().drop(DropReason.SEND_FAILED);
        }
    }

    /** Asks the loop to delete all allocations, close everything and stop; waits up to {@code timeout}. */
    boolean stop(Duration timeout) throws InterruptedException {
        running = false;
        selector.wakeup();
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void shutdown() {
        try {
            engine.close(clock.instant());
            drain();
        } catch (RuntimeException e) {
            log.warn("event=shutdown_error error=\"{}\"", e.toString());
        }
        for (StreamConnection c : streams.values()) {
            c.close();
        }
        streams.clear();
        for (SelectionKey k : selector.keys()) {
            closeQuietly(k.channel());
        }
        closeQuietly(selector);
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort on shutdown
        }
    }
}
