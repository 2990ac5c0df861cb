package io.rtc4j.testkit.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A bound UDP socket on a {@link SimHost}. Datagrams that have arrived wait in a bounded queue for
 * {@link #poll()}, or go straight to a handler set with {@link #onReceive}. Nothing arrives before its virtual
 * delivery time: arrival is a network event that runs only when the network is driven to that time. Sending never
 * delivers anything synchronously, even over perfect links.
 */
public final class SimSocket {
    /** The largest UDP payload over IPv4 (65535 - 20 - 8). */
    public static final int MAX_PAYLOAD = 65507;

    private final SimHost host;
    private final InetSocketAddress local;
    private final ArrayDeque<SimDatagram> queue = new ArrayDeque<>();
    private int queueCapacity = 10_000;
    private Consumer<SimDatagram> handler;
    private boolean closed;

    SimSocket(SimHost host, InetSocketAddress local) {
        this.host = host;
        this.local = local;
    }

    public SimHost host() {
        return host;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** Sends the buffer's remaining bytes (copied, and consumed as a channel would). */
    public void send(InetSocketAddress to, ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        sendOwned(to, copy);
    }

    /** Sends a copy of {@code data}. */
    public void send(InetSocketAddress to, byte[] data) {
        sendOwned(to, data.clone());
    }

    private void sendOwned(InetSocketAddress to, byte[] data) {
        Objects.requireNonNull(to, "to");
        if (closed) {
            throw new IllegalStateException("socket closed: " + local);
        }
        if (to.isUnresolved()) {
            throw new IllegalArgumentException("unresolved destination: " + to);
        }
        if (data.length > MAX_PAYLOAD) {
            throw new IllegalArgumentException("datagram too large: " + data.length + " B");
        }
        host.send(this, to, data);
    }

    /**
     * The oldest datagram that has arrived, or null. Runs the network up to the clock first, so a test that moved
     * the {@code SimClock} itself still sees what is due.
     */
    public SimDatagram poll() {
        host.network.catchUp();
        return queue.poll();
    }

    /** Datagrams waiting in the queue (without running the network). */
    public int queued() {
        return queue.size();
    }

    /** Handler for datagrams that arrive from now on (null to queue again); it may send. Queued ones stay queued. */
    public void onReceive(Consumer<SimDatagram> handler) {
        this.handler = handler;
    }

    /** Beyond this many queued datagrams, arrivals are dropped as {@link DropReason#RECEIVE_QUEUE_FULL}. */
    public void setReceiveQueueCapacity(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        this.queueCapacity = capacity;
    }

    /** Unbinds; later arrivals are dropped as {@link DropReason#NO_SOCKET}, queued ones are discarded. */
    public void close() {
        if (!closed) {
            closed = true;
            queue.clear();
            host.unbind(this);
        }
    }

    public boolean isClosed() {
        return closed;
    }

    void deliver(SimPacket p) {
        if (handler == null && queue.size() >= queueCapacity) {
            host.network.drop(host, p, DropReason.RECEIVE_QUEUE_FULL);
            return;
        }
        SimDatagram d = new SimDatagram(p.source(), p.destination(), p.data().clone(), host.network.now());
        host.network.delivered(host, p);
        if (handler != null) {
            handler.accept(d);
        } else {
            queue.add(d);
        }
    }

    @Override
    public String toString() {
        return "SimSocket[" + host.name() + " " + local + "]";
    }
}
