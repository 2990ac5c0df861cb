package io.rtc4j.ice.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * One TCP or TLS connection to a TURN server (RFC 8656 §3.1), non-blocking, driven by the {@link UdpEventLoop}:
 * connects, runs the TLS handshake through an {@link SSLEngine} (no thread blocks, nothing spins: the key's
 * interest follows what the engine waits for), hands whatever it reads to a {@link Listener} and writes whole
 * TURN frames in order. Frames written before the connection is up wait in a bounded queue; past
 * {@code maxQueuedBytes} a frame is dropped whole (like a lost datagram: the stream stays well framed).
 * Connect and handshake together must finish within the connect timeout. Loop thread only.
 */
final class TurnStreamConnection implements UdpEventLoop.StreamHandler, UdpEventLoop.Timed, SessionRelays.Stream {
    private static final int READS_PER_WAKE = 16;
    private static final int STEPS_PER_WAKE = 256;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    /** What the connection tells its owner; called on the loop thread. */
    interface Listener {
        /** Plain bytes from the server; {@code data} is valid only during the call. */
        void received(Instant now, ByteBuffer data);

        /** The connection ended (it is closed already): by the server, an error, or the connect timeout. */
        void ended(Instant now, String reason);
    }

    private enum State { CONNECTING, HANDSHAKING, OPEN, CLOSED }

    private final SocketChannel channel;
    private final InetSocketAddress local;
    private final SSLEngine engine; // null over plain TCP
    private final int maxQueuedBytes;
    private final DriverCounters counters;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(); // whole plaintext frames, oldest first
    private ByteBuffer readBuffer; // TCP: what a read returned; TLS: records read, not yet unwrapped
    private ByteBuffer appIn; // TLS: unwrapped bytes (fill mode)
    private ByteBuffer netOut; // TLS: wrapped bytes not yet written (fill mode)
    private Listener listener;
    private SelectionKey key;
    private State state = State.CONNECTING;
    private final Duration connectTimeout;
    private Instant deadline = Instant.MAX; // while connecting: the connect timeout, from attach()
    private int queuedBytes;
    private String endReason;
    private String connectFailure; // connect() failed at once: reported when attached

    private TurnStreamConnection(SocketChannel channel, SSLEngine engine, int maxQueuedBytes, Duration connectTimeout,
            DriverCounters counters) throws IOException {
        this.channel = channel;
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.engine = engine;
        this.maxQueuedBytes = maxQueuedBytes;
        this.connectTimeout = connectTimeout;
        this.counters = counters;
        if (engine == null) {
            readBuffer = ByteBuffer.allocate(16_384);
        } else {
            readBuffer = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        }
    }

    /**
     * Opens a socket bound to {@code bindAddress} (port chosen by the kernel) and starts connecting to
     * {@code server}; with a {@code tls} context the handshake follows, verifying {@code serverName} (a host
     * name for SNI and RFC 6125 checks, or an IP literal matched against the certificate's IP SANs). Then
     * {@link #attach} it. Throws only when no local socket can be made; a failed connect is reported to the
     * listener like any other end.
     */
    static TurnStreamConnection open(InetAddress bindAddress, InetSocketAddress server, SSLContext tls, String serverName,
            Duration connectTimeout, int maxQueuedBytes, DriverCounters counters) throws IOException {
        SocketChannel ch = SocketChannel.open(
                bindAddress instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true); // ICE checks are small and latency-bound
            ch.bind(new InetSocketAddress(bindAddress, 0));
            SSLEngine engine = null;
            if (tls != null) {
                engine = tls.createSSLEngine(serverName, server.getPort());
                engine.setUseClientMode(true);
                SSLParameters p = engine.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS"); // RFC 8656 §3.1 / RFC 6125: check the name
                engine.setSSLParameters(p);
            }
            TurnStreamConnection c = new TurnStreamConnection(ch, engine, maxQueuedBytes, connectTimeout, counters);
            try {
                ch.connect(server); // non-blocking: finishes on OP_CONNECT (or at once on loopback)
            } catch (IOException e) {
                c.connectFailure = describe(e); // e.g. no route: the relay fails, the driver does not
            }
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The connection's local address: the relay's base. */
    InetSocketAddress local() {
        return local;
    }

    /** Registers with the loop (before it starts, or on its thread) and sets who hears from this connection. */
    void attach(UdpEventLoop loop, Listener listener) throws IOException {
        this.listener = listener;
        if (connectFailure != null) {
            end(loop.now(), connectFailure);
            return;
        }
        this.key = loop.register(channel, SelectionKey.OP_CONNECT, this);
        deadline = loop.now().plus(connectTimeout); // counted from here: the loop may start late on a busy host
        loop.addTimer(this);
        if (channel.isConnected()) { // connect() may finish at once on loopback: OP_CONNECT would never come
            connected();
        }
    }

    private void connected() throws IOException {
        state = engine == null ? State.OPEN : State.HANDSHAKING;
        if (engine != null) {
            engine.beginHandshake(); // the ClientHello goes out on the first step
        } else {
            deadline = Instant.MAX;
        }
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE); // the first step writes what waits

    }

    boolean isOpen() {
        return state == State.OPEN;
    }

    // ---- SessionRelays.Stream ----

    /**
     * Writes one whole TURN frame, at once when nothing waits before it (no copy), else queued behind the rest;
     * false (and counted) when the connection is closed or the queue full.
     */
    @Override
    public boolean write(Instant now, ByteBuffer frame) {
        if (state == State.CLOSED) {
            counters.sendFailures.increment();
            return false;
        }
        ByteBuffer rest = frame.duplicate();
        if (state == State.OPEN && queue.isEmpty() && (engine == null || netOut.position() == 0)) {
            try {
                if (engine == null) {
                    channel.write(rest);
                } else {
                    wrap(rest);
                    netOut.flip();
                    channel.write(netOut);
                    netOut.compact();
                }
            } catch (IOException | RuntimeException e) {
                end(now, describe(e));
                counters.sendFailures.increment();
                return false;
            }
            if (!rest.hasRemaining()) {
                counters.sent.increment();
                interest(); // OP_WRITE while wrapped bytes wait for the socket
                return true;
            }
        }
        int n = rest.remaining();
        boolean begun = n != frame.remaining(); // the socket took part of it: the rest must follow, whatever the bound
        if (!begun && queuedBytes + n > maxQueuedBytes) {
            counters.sendFailures.increment(); // backpressure: the frame is lost whole, as a datagram would be
            return false;
        }
        queue.add(ByteBuffer.allocate(n).put(rest).flip());
        queuedBytes += n;
        if (state == State.OPEN) {
            step(now);
        }
        return true;
    }

    @Override
    public String endReason() {
        return endReason;
    }

    /** Closes without waiting: TLS sends close_notify if the socket takes it at once (RFC 8446 §6.1). */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        if (engine != null && state == State.OPEN) {
            engine.closeOutbound();
            try {
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                channel.write(netOut.flip());
            } catch (IOException | RuntimeException ignored) {
                // closing anyway: the server sees the FIN
            }
        }
        state = State.CLOSED;
        deadline = Instant.MAX;
        queue.clear();
        queuedBytes = 0;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }

    // ---- UdpEventLoop ----

    @Override
    public void ready(Instant now, SelectionKey k) {
        if (state == State.CLOSED) {
            return;
        }
        try {
            if (state == State.CONNECTING && k.isConnectable()) {
                if (!channel.finishConnect()) {
                    return;
                }
                connected();
            }
            if (state != State.CONNECTING && k.isReadable() && !read(now)) {
                return;
            }
            step(now);
        } catch (IOException | RuntimeException e) {
            end(now, describe(e)); // refused, reset, a certificate that does not verify, a bad record ...
        }
    }

    @Override
    public void loopClosed() {
        close();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void fire(Instant now) {
        if (state == State.CONNECTING || state == State.HANDSHAKING) {
            end(now, (state == State.CONNECTING ? "TCP connect" : "TLS handshake") + " timed out");
        } else {
            deadline = Instant.MAX;
        }
    }

    // ---- the work ----

    /** Reads what the socket has (bounded); false when the connection ended. */
    private boolean read(Instant now) throws IOException {
        for (int i = 0; i < READS_PER_WAKE; i++) {
            if (!readBuffer.hasRemaining()) {
                if (engine == null || !unwrapAll(now)) {
                    return state != State.CLOSED;
                }
                if (!readBuffer.hasRemaining()) {
                    return true; // a record larger than the buffer cannot happen: the engine sized it
                }
            }
            int n = channel.read(readBuffer);
            if (n < 0) {
                if (engine != null) {
                    unwrapAll(now); // deliver what came before the FIN
                }
                end(now, "closed by the TURN server");
                return false;
            }
            if (n == 0) {
                break;
            }
            counters.received.increment();
            if (engine == null) {
                readBuffer.flip();
                listener.received(now, readBuffer);
                readBuffer.clear();
                if (state == State.CLOSED) {
                    return false;
                }
            }
        }
        if (engine != null) {
            unwrapAll(now);
        }
        return state != State.CLOSED;
    }

    /** TLS: unwraps every whole record read so far; true if it consumed anything. */
    private boolean unwrapAll(Instant now) throws SSLException {
        boolean any = false;
        for (int i = 0; i < STEPS_PER_WAKE && state != State.CLOSED; i++) {
            readBuffer.flip();
            SSLEngineResult r = engine.unwrap(readBuffer, appIn);
            readBuffer.compact();
            switch (r.getStatus()) {
                case OK -> {
                    deliver(now);
                    runTasks();
                    if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                        return any;
                    }
                    any = true;
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                        return true; // the handshake wants to answer first: step() wraps, then reads on
                    }
                }
                case BUFFER_UNDERFLOW -> { // half a record: wait for more bytes, with room for the whole record
                    int need = engine.getSession().getPacketBufferSize();
                    if (!readBuffer.hasRemaining() && readBuffer.capacity() < need) {
                        readBuffer = ByteBuffer.allocate(need).put(readBuffer.flip());
                    }
                    return any;
                }
                case BUFFER_OVERFLOW -> {
                    deliver(now); // appIn was full: empty it and retry; grow it if the session asks for more
                    if (appIn.capacity() < engine.getSession().getApplicationBufferSize()) {
                        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
                    }
                }
                case CLOSED -> {
                    deliver(now);
                    end(now, "TLS closed by the TURN server (close_notify)");
                    return true;
                }
            }
        }
        return any;
    }

    private void deliver(Instant now) {
        if (appIn.position() == 0) {
            return;
        }
        appIn.flip();
        if (state == State.OPEN || state == State.HANDSHAKING) {
            listener.received(now, appIn);
        }
        appIn.clear();
    }

    private void runTasks() {
        // the engine's delegated tasks (certificate checks, key agreement) run here: short CPU work, no I/O
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    /** Advances the handshake and writes what is queued, bounded; then sets the key's interest. */
    private void step(Instant now) {
        try {
            for (int i = 0; i < STEPS_PER_WAKE && state != State.CLOSED; i++) {
                if (!(engine == null ? writePlain() : stepTls(now))) {
                    break;
                }
            }
            interest();
        } catch (IOException | RuntimeException e) {
            end(now, describe(e));
        }
    }

    /** TCP: writes the queue (gathering when it holds several frames); true if more could go at once. */
    private boolean writePlain() throws IOException {
        if (state != State.OPEN || queue.isEmpty()) {
            return false;
        }
        long n = queue.size() == 1 ? channel.write(queue.peek()) : channel.write(queue.toArray(ByteBuffer[]::new));
        while (!queue.isEmpty() && !queue.peek().hasRemaining()) {
            queuedBytes -= queue.poll().limit();
            counters.sent.increment();
        }
        return n > 0 && !queue.isEmpty();
    }

    /** TLS: one handshake or data step; true if it made progress. */
    private boolean stepTls(Instant now) throws IOException {
        if (netOut.position() > 0) { // wrapped bytes go out first, in order
            netOut.flip();
            channel.write(netOut);
            netOut.compact();
            if (netOut.position() > 0) {
                return false; // the socket is full: OP_WRITE resumes
            }
        }
        switch (engine.getHandshakeStatus()) {
            case NEED_TASK -> {
                runTasks();
                return true;
            }
            case NEED_WRAP -> {
                return wrap(EMPTY);
            }
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                return readBuffer.position() > 0 && unwrapAll(now);
            }
            default -> { // NOT_HANDSHAKING / FINISHED
                if (state == State.HANDSHAKING) {
                    state = State.OPEN;
                    deadline = Instant.MAX;
                    return true;
                }
                ByteBuffer next = queue.peek();
                if (next == null) {
                    return false;
                }
                boolean progressed = wrap(next);
                if (!next.hasRemaining()) {
                    queue.poll();
                    queuedBytes -= next.limit();
                    counters.sent.increment();
                }
                return progressed;
            }
        }
    }

    /** Wraps {@code src} into netOut; true if the engine produced or consumed anything. */
    private boolean wrap(ByteBuffer src) throws SSLException {
        SSLEngineResult r = engine.wrap(src, netOut);
        switch (r.getStatus()) {
            case OK -> {
                return r.bytesProduced() > 0 || r.bytesConsumed() > 0;
            }
            case BUFFER_OVERFLOW -> { // netOut holds unsent bytes (or is too small): write first, then retry
                if (netOut.position() == 0 && netOut.capacity() < engine.getSession().getPacketBufferSize()) {
                    netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                    return true;
                }
                return netOut.position() > 0;
            }
            default -> { // CLOSED (BUFFER_UNDERFLOW cannot happen on wrap)
                throw new SSLException("TLS engine closed: " + r.getStatus());
            }
        }
    }

    /** Read always once connected; write only while bytes wait for the socket. Nothing spins. */
    private void interest() {
        if (key == null || !key.isValid() || state == State.CLOSED) {
            return;
        }
        if (state == State.CONNECTING) {
            key.interestOps(SelectionKey.OP_CONNECT);
            return;
        }
        boolean pendingWrite = engine == null ? state == State.OPEN && !queue.isEmpty() : netOut.position() > 0;
        key.interestOps(SelectionKey.OP_READ | (pendingWrite ? SelectionKey.OP_WRITE : 0));
    }

    private void end(Instant now, String reason) {
        if (state == State.CLOSED) {
            return;
        }
        endReason = reason;
        close();
        if (listener != null) {
            listener.ended(now, reason);
        }
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
