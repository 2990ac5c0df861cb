package io.rtc4j.signaling;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling server's transport: Netty HTTP/1.1 with WebSocket at {@code /ws} (RFC 6455), {@code /health},
 * {@code POST /token} and static files, driving one {@link SignalingEngine} on one of its event loops. JSON is
 * decoded on each connection's I/O thread, the rooms live on the engine's loop (inputs reach it in batches),
 * writes go back to each channel's loop once per batch and are flushed once per channel (no thread hop at all
 * for channels on the engine's loop).
 */
public final class SignalingServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);
    static final String WEBSOCKET_PATH = "/ws";

    private final SignalingConfig config;
    private final SignalingCodec codec = new SignalingCodec();
    private final SignalingEngine engine;
    private final InstantSource clock;
    private final EventLoopGroup group;
    /** One of the I/O loops also runs the engine: channels on it need no thread hop at all. */
    private final EventLoop engineLoop;
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<ConnectionId, Channel> channels = new HashMap<>(); // engine loop only
    private final AtomicLong nextConnection = new AtomicLong(1);
    /** Inputs handled per engine task before the loop gets its turn again. */
    private static final int MAX_BATCH = 1024;
    private final java.util.Queue<Runnable> inbox = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicBoolean batchScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    private final SignalingWrites writes; // engine loop only
    private io.netty.util.concurrent.ScheduledFuture<?> timer; // engine loop only
    private java.time.Instant timerAt;

    private SignalingServer(SignalingConfig config, IceServersProvider ice, InstantSource clock, int ioThreads) {
        this.config = config;
        this.clock = clock;
        this.engine = new SignalingEngine(config, codec, ice, new java.security.SecureRandom());
        this.group = new MultiThreadIoEventLoopGroup(
                ioThreads > 0 ? ioThreads : Runtime.getRuntime().availableProcessors(), NioIoHandler.newFactory());
        this.engineLoop = group.next();
        this.writes = new SignalingWrites(engineLoop);
    }

    /** Binds and starts; throws if an address cannot be bound (and then releases what it took). */
    public static SignalingServer start(
            SignalingServerSettings settings, SignalingConfig config, IceServersProvider ice, InstantSource clock)
            throws InterruptedException {
        SignalingServer s = new SignalingServer(config, ice, clock, settings.ioThreads());
        try {
            s.bind(settings);
        } catch (RuntimeException | InterruptedException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private void bind(SignalingServerSettings settings) throws InterruptedException {
        HttpRequestHandler http = new HttpRequestHandler(settings.staticFiles(), settings.apiKey(), config, engine, clock);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (settings.tls() != null) {
                            SSLEngine ssl = settings.tls().createSSLEngine();
                            ssl.setUseClientMode(false);
                            p.addLast(new SslHandler(ssl));
                        }
                        p.addLast(new IdleStateHandler(config.idleTimeout().toMillis(), 0,
                                config.pingInterval().toMillis(), TimeUnit.MILLISECONDS));
                        p.addLast(new HttpServerCodec(4096, 8192, 8192));
                        p.addLast(new HttpObjectAggregator(64 << 10));
                        p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                .websocketPath(WEBSOCKET_PATH)
                                .checkStartsWith(true)
                                .maxFramePayloadLength(config.maxMessageBytes())
                                .dropPongFrames(true)
                                // WebSocketSession checks UTF-8 on the whole message with bulk JDK decoding
                                // (Netty's per-byte validator was a hot frame of the loops)
                                .withUTF8Validator(false)
                                .build()));
                        p.addLast(new WebSocketFrameAggregator(config.maxMessageBytes()));
                        p.addLast(new WebSocketSession(SignalingServer.this));
                        p.addLast(http);
                    }
                });
        if (settings.addresses().isEmpty()) {
            listeners.add(b.bind(settings.port()).sync().channel());
        } else {
            int port = settings.port();
            for (var a : settings.addresses()) {
                Channel ch = b.bind(new InetSocketAddress(a, port)).sync().channel();
                listeners.add(ch);
                port = ((InetSocketAddress) ch.localAddress()).getPort(); // port 0: the same port everywhere
            }
        }
        log.info("event=signaling_started addresses={} tls={} config=\"{}\"", listeners.stream().map(Channel::localAddress).toList(),
                settings.tls() != null, config);
    }

    /** The bound port (of the first address). */
    public int port() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    public List<InetSocketAddress> addresses() {
        return listeners.stream().map(c -> (InetSocketAddress) c.localAddress()).toList();
    }

    public SignalingEngine.Stats stats() {
        return engine.stats();
    }

    SignalingCodec codec() {
        return codec;
    }

    ConnectionId newConnectionId() {
        return new ConnectionId(nextConnection.getAndIncrement());
    }

    void opened(ConnectionId id, Channel ch, String host, String queryToken) {
        runOnEngine(() -> {
            channels.put(id, ch);
            engine.connectionOpened(clock.instant(), id, host, queryToken);
        });
    }

    void received(ConnectionId id, SignalingCodec.Decoded decoded) {
        runOnEngine(() -> engine.decodedReceived(clock.instant(), id, decoded));
    }

    void closed(ConnectionId id) {
        runOnEngine(() -> {
            channels.remove(id);
            engine.connectionClosed(clock.instant(), id);
        });
    }

    /**
     * Inputs from every I/O loop queue here; one task on the engine loop takes them in batches (one wakeup
     * per batch, not per message), then writes and flushes once per channel ({@link SignalingWrites}).
     */
    private void runOnEngine(Runnable input) {
        inbox.add(input);
        if (batchScheduled.compareAndSet(false, true)) {
            try {
                // always queued, never run inline: a close inside a batch must not re-enter the engine
                engineLoop.execute(this::runBatch);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    private void runBatch() {
        batchScheduled.set(false); // inputs added from now on schedule another batch
        try {
            for (int i = 0; i < MAX_BATCH; i++) {
                Runnable input = inbox.poll();
                if (input == null) {
                    break;
                }
                try {
                    input.run();
                    drain();
                } catch (RuntimeException e) {
                    // a bug, not bad input (the engine turns bad input into error messages): log, keep serving
                    log.error("event=signaling_engine_failed", e);
                }
            }
        } finally {
            writes.flush();
        }
        if (!inbox.isEmpty() && batchScheduled.compareAndSet(false, true)) {
            engineLoop.execute(this::runBatch); // more than a batch: let the loop's own I/O run in between
        }
    }

    private void drain() {
        SignalingOutput o;
        for (o = engine.pollOutput(); !(o instanceof SignalingOutput.Idle); o = engine.pollOutput()) {
            switch (o) {
                case SignalingOutput.Send s -> {
                    Channel ch = channels.get(s.to());
                    if (ch != null) {
                        writes.send(ch, s.json());
                    }
                }
                case SignalingOutput.Close c -> {
                    Channel ch = channels.get(c.connection());
                    if (ch != null) {
                        writes.close(ch, c.code(), c.reason());
                    }
                }
                case SignalingOutput.Idle i -> {}
            }
        }
        if (o instanceof SignalingOutput.Idle idle && idle.deadline() != null
                && (timerAt == null || idle.deadline().isBefore(timerAt))) {
            if (timer != null) {
                timer.cancel(false);
            }
            timerAt = idle.deadline();
            long delayNanos = Math.max(0, java.time.Duration.between(clock.instant(), timerAt).toNanos());
            timer = engineLoop.schedule(() -> {
                timer = null;
                timerAt = null;
                runOnEngine(() -> engine.handleTimeout(clock.instant()));
            }, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    static void closeWith(Channel ch, int code, String reason) {
        if (ch.isActive()) {
            ch.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Stops listening, closes every connection, and stops the threads (bounded waits). */
    @Override
    public void close() {
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        log.info("event=signaling_stopped");
    }
}
