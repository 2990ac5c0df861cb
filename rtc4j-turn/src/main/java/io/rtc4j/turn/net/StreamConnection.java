package io.rtc4j.turn.net;

import io.rtc4j.turn.ChannelData;
import io.rtc4j.turn.FiveTuple;
import io.rtc4j.turn.TransportProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TCP or TLS client connection (RFC 8656 §3.1): frames STUN messages and ChannelData out of the byte
 * stream for the engine, and queues what the engine sends back. Buffers are bounded: a peer that sends
 * garbage or never reads cannot grow memory without limit. Runs on its event loop's thread only.
 */
final class StreamConnection {
    /** The largest frame: ChannelData with 65535 bytes and padding, or a STUN message. */
    private static final int MAX_FRAME = ChannelData.HEADER_LENGTH + 65536;
    /** Bytes queued for a slow reader before further output to it is dropped. */
    private static final int MAX_PENDING = 4 << 20;

    final FiveTuple tuple;
    private final EventLoop loop;
    private final SocketChannel ch;
    private final SelectionKey key;
    private final SSLEngine tls;
    private final ByteBuffer appIn = ByteBuffer.allocate(2 * MAX_FRAME);
    private final ByteBuffer netIn;
    private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
    private long pendingBytes;
    private boolean closed;

    private StreamConnection(EventLoop loop, SocketChannel ch, FiveTuple tuple, SSLEngine tls) throws IOException {
        this.loop = loop;
        this.ch = ch;
        this.tuple = tuple;
        this.tls = tls;
        this.netIn = tls == null ? null : ByteBuffer.allocate(tls.getSession().getPacketBufferSize() * 2);
        this.key = ch.register(loop.selector, SelectionKey.OP_READ, this);
    }

    static StreamConnection open(EventLoop loop, SocketChannel ch, TransportProtocol transport, SSLContext ctx)
            throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        FiveTuple tuple = new FiveTuple(
                transport, (InetSocketAddress) ch.getRemoteAddress(), (InetSocketAddress) ch.getLocalAddress());
        SSLEngine engine = null;
        if (transport == TransportProtocol.TLS) {
            engine = ctx.createSSLEngine();
            engine.setUseClientMode(false);
            engine.beginHandshake();
        }
        return new StreamConnection(loop, ch, tuple, engine);
    }

    void onReady(SelectionKey k, Instant now) throws IOException {
        if (k.isWritable()) {
            flush();
        }
        if (k.isReadable()) {
            read(now);
        }
    }

    private void read(Instant now) throws IOException {
        int n = ch.read(tls == null ? appIn : netIn);
        if (n < 0) {
            loop.closeStream(this, now);
            return;
        }
        if (tls == null) {
            deliverFrames(now);
            return;
        }
        boolean progress;
        do {
            progress = unwrap();
            deliverFrames(now); // frees appIn so a record that did not fit can be unwrapped next
        } while (progress && !closed);
    }

    private void deliverFrames(Instant now) {
        appIn.flip();
        while (!closed) {
            int length = ChannelData.frameLength(appIn);
            if (length < 0 || appIn.remaining() < length) {
                break;
            }
            int start = appIn.position();
            ByteBuffer frame = appIn.slice(start, length);
            appIn.position(start + length);
            loop.streamInput(this, now, frame);
        }
        appIn.compact();
    }

    /** Decrypts what it can into appIn; true if it consumed anything. */
    private boolean unwrap() throws IOException {
        netIn.flip();
        boolean progress = false;
        try {
            while (true) {
                SSLEngineResult r = tls.unwrap(netIn, appIn);
                progress |= r.bytesConsumed() > 0;
                runHandshake();
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new IOException("TLS closed");
                }
                if (r.getStatus() != SSLEngineResult.Status.OK || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    return progress; // UNDERFLOW: wait for bytes; OVERFLOW: frames must drain appIn first
                }
            }
        } finally {
            netIn.compact();
        }
    }

    private void runHandshake() throws IOException {
        while (true) {
            switch (tls.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    while ((task = tls.getDelegatedTask()) != null) {
                        task.run(); // a little CPU on the loop; TURN over TLS handshakes are rare
                    }
                }
                case NEED_WRAP -> wrap(ByteBuffer.allocate(0));
                default -> {
                    return;
                }
            }
        }
    }

    private void wrap(ByteBuffer plain) throws SSLException {
        do {
            ByteBuffer out = ByteBuffer.allocate(tls.getSession().getPacketBufferSize());
            SSLEngineResult r = tls.wrap(plain, out);
            if (out.position() > 0) {
                enqueue(out.flip());
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED
                    || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                return; // closed, or mid-handshake with nothing to send yet: never spin
            }
        } while (plain.hasRemaining());
    }

    /** Sends {@code data} (valid only during this call); false when the connection is gone or too backed up. */
    boolean write(ByteBuffer data) {
        if (closed || pendingBytes + data.remaining() > MAX_PENDING) {
            return false;
        }
        try {
            if (tls == null) {
                enqueue(data);
            } else {
                wrap(data.duplicate());
            }
            return true;
        } catch (SSLException e) {
            return false;
        }
    }

    private void enqueue(ByteBuffer bytes) {
        if (pending.isEmpty()) {
            try {
                ch.write(bytes);
            } catch (IOException e) {
                return; // the read side will see the close
            }
            if (!bytes.hasRemaining()) {
                return;
            }
        }
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining()).put(bytes).flip();
        pending.add(copy);
        pendingBytes += copy.remaining();
        key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    }

    private void flush() throws IOException {
        while (!pending.isEmpty()) {
            ByteBuffer b = pending.peek();
            int n = ch.write(b);
            pendingBytes -= n;
            if (b.hasRemaining()) {
                return;
            }
            pending.poll();
        }
        key.interestOps(SelectionKey.OP_READ);
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (tls != null) {
            tls.closeOutbound();
        }
        EventLoop.closeQuietly(ch);
    }
}
