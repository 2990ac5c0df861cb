package io.rtc4j.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A minimal real driver for tests against external peers: one UDP socket on loopback, the endpoint's wakeup
 * callback wakes the selector, outputs are drained after every input. Runs on the test thread inside
 * {@link #await}; only ever sends to the loopback peer address it was given or learned.
 */
final class UdpDtlsDriver implements AutoCloseable {
    final DtlsEndpoint endpoint;
    final List<DtlsOutput> events = new ArrayList<>();
    private final DatagramChannel channel;
    private final Selector selector;
    private final ByteBuffer buffer = ByteBuffer.allocate(65_536);
    private InetSocketAddress peer;

    UdpDtlsDriver(DtlsEndpoint endpoint, InetSocketAddress peer) throws IOException {
        if (peer != null && !peer.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("tests talk to loopback only: " + peer);
        }
        this.endpoint = endpoint;
        this.peer = peer;
        this.channel = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        endpoint.onOutputReady(selector::wakeup);
    }

    int port() {
        return ((InetSocketAddress) channel.socket().getLocalSocketAddress()).getPort();
    }

    /** Runs the driver loop until {@code done} holds; fails after {@code bound}. */
    void await(BooleanSupplier done, Duration bound, String what) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (true) {
                drain();
                if (done.getAsBoolean()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("timed out waiting for " + what + "; events " + events);
                }
                selector.select(50);
                selector.selectedKeys().clear();
                // Bounded: at most what the socket buffer holds, one datagram per iteration.
                for (int i = 0; i < 10_000; i++) {
                    buffer.clear();
                    SocketAddress from = channel.receive(buffer);
                    if (from == null) {
                        break;
                    }
                    if (peer == null && from instanceof InetSocketAddress a && a.getAddress().isLoopbackAddress()) {
                        peer = a;
                    }
                    buffer.flip();
                    byte[] d = new byte[buffer.remaining()];
                    buffer.get(d);
                    endpoint.handleInput(Instant.now(), d);
                }
                endpoint.handleTimeout(Instant.now());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends whatever the endpoint has queued (e.g. right after {@link DtlsEndpoint#send}). */
    void flush() {
        try {
            drain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drain() throws IOException {
        for (DtlsOutput o = endpoint.pollOutput(); !(o instanceof DtlsOutput.Timeout); o = endpoint.pollOutput()) {
            if (o instanceof DtlsOutput.Transmit t) {
                if (peer != null) {
                    channel.send(ByteBuffer.wrap(t.datagram()), peer);
                }
            } else {
                events.add(o);
            }
        }
    }

    <T extends DtlsOutput> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() throws IOException {
        endpoint.close();
        drain();
        selector.close();
        channel.close();
    }
}
