package io.rtc4j.bench.peer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A user-space UDP relay on 127.0.0.1 that emulates a long path (this kernel has no netem): endpoint A talks to
 * socket P1, the relay forwards from socket P2 to endpoint B, and B's datagrams to P2 go back to A from P1. Each
 * direction is a {@link DelayLine} (fixed delay, optional token-bucket bottleneck with a drop-tail queue, optional
 * seeded loss) between a receiver thread, blocked in the socket, and a sender thread that parks until the head of
 * the line is due and then sends everything due. No per-datagram tasks or allocation; bounded memory. An endpoint
 * not set yet is learnt from the first datagram to its socket (with trickle, a peer's first ICE check may arrive
 * before signaling told the relay its address); datagrams from any other source are dropped and counted, as are
 * those whose destination endpoint is not known yet. Loopback only. Close it to stop the threads and sockets.
 */
public final class DelayRelay implements AutoCloseable {
    /** 4 MiB socket buffers (the most this kernel's rmem_max/wmem_max allow): bulk bursts fit without kernel drops. */
    static final int SOCKET_BUFFER = 4 << 20;
    private static final long IDLE_WAIT_NANOS = 100_000_000L;

    /**
     * Counters of one direction.
     *
     * @param accepted datagrams taken into the delay line
     * @param forwarded datagrams sent on
     * @param forwardedBytes their UDP payload bytes
     * @param lost dropped by the random loss
     * @param queueDropped dropped by the bottleneck's full queue (drop-tail)
     * @param ringDropped dropped because the delay line had no free slot
     * @param oversize dropped for exceeding the largest datagram the line holds
     * @param maxOccupancy the most datagrams the line held at once
     * @param foreign dropped because they came from another source than the configured endpoint
     * @param unrouted dropped because the other endpoint (the destination) was not known yet
     * @param ioErrors receive or send failures (each datagram concerned is dropped)
     */
    public record DirectionStats(long accepted, long forwarded, long forwardedBytes, long lost, long queueDropped,
            long ringDropped, long oversize, int maxOccupancy, long foreign, long unrouted, long ioErrors) {

        /** Drops the relay made of its own accord or for lack of room (not the emulated loss and queue). */
        public long relayDrops() {
            return ringDropped + oversize + ioErrors;
        }

        DirectionStats minus(DirectionStats o) {
            return new DirectionStats(accepted - o.accepted, forwarded - o.forwarded, forwardedBytes - o.forwardedBytes,
                    lost - o.lost, queueDropped - o.queueDropped, ringDropped - o.ringDropped, oversize - o.oversize,
                    maxOccupancy, foreign - o.foreign, unrouted - o.unrouted, ioErrors - o.ioErrors);
        }
    }

    public record Stats(DirectionStats aToB, DirectionStats bToA) {
        public Stats minus(Stats o) {
            return new Stats(aToB.minus(o.aToB), bToA.minus(o.bToA));
        }
    }

    private final DatagramChannel p1;
    private final DatagramChannel p2;
    private final Direction aToB;
    private final Direction bToA;
    private final long bucketNanos;
    private volatile boolean running = true;
    private volatile long timelineStart = System.nanoTime();

    /**
     * Binds P1 and P2 on 127.0.0.1 and starts the receiver and sender thread of each direction.
     *
     * @param slots datagrams each direction can hold (queue plus in flight)
     * @param timelineBuckets buckets of {@code bucketNanos} recording forwarded bytes per direction (diagnostics)
     */
    public DelayRelay(LinkShape aToBShape, LinkShape bToAShape, int slots, int timelineBuckets, long bucketNanos)
            throws IOException {
        if (timelineBuckets < 1 || bucketNanos < 1) {
            throw new IllegalArgumentException("timeline needs buckets > 0 and a bucket length > 0");
        }
        this.bucketNanos = bucketNanos;
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        DatagramChannel c1 = null;
        DatagramChannel c2 = null;
        try {
            c1 = open(loopback);
            c2 = open(loopback);
            this.aToB = new Direction("a->b", c1, c2, new DelayLine(aToBShape, slots, 2048), timelineBuckets,
                    this::endpointA);
            this.bToA = new Direction("b->a", c2, c1, new DelayLine(bToAShape, slots, 2048), timelineBuckets,
                    this::endpointB);
        } catch (IOException | RuntimeException e) {
            if (c1 != null) c1.close();
            if (c2 != null) c2.close();
            throw e;
        }
        this.p1 = c1;
        this.p2 = c2;
        aToB.start();
        bToA.start();
    }

    private static DatagramChannel open(InetAddress loopback) throws IOException {
        DatagramChannel c = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        c.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER);
        c.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER);
        c.bind(new InetSocketAddress(loopback, 0));
        return c; // blocking: each receiver thread waits in the kernel
    }

    /** P1: where A sends (and where A's datagrams from B come from). */
    public InetSocketAddress addressForA() throws IOException {
        return (InetSocketAddress) p1.getLocalAddress();
    }

    /** P2: where B sends (and where B's datagrams from A come from). */
    public InetSocketAddress addressForB() throws IOException {
        return (InetSocketAddress) p2.getLocalAddress();
    }

    /** Sets endpoint A (the only source P1 accepts, the destination of P1's sends). */
    public void endpointA(InetSocketAddress a) {
        aToB.from = a;
        bToA.to = a;
    }

    /** Sets endpoint B (the only source P2 accepts, the destination of P2's sends). */
    public void endpointB(InetSocketAddress b) {
        bToA.from = b;
        aToB.to = b;
    }

    /**
     * The first datagrams through each direction, times in ms after {@code sinceNanos}, lost ones marked with
     * {@code X}: {@code a->b [t ms len first-byte e:epoch h:handshake-type] ...} (diagnostics for a stuck handshake).
     */
    public String trace(long sinceNanos) {
        StringBuilder b = new StringBuilder();
        for (Direction d : new Direction[] {aToB, bToA}) {
            b.append(d == aToB ? "a->b" : "\nb->a");
            for (DelayLine.Traced t : d.line.trace()) {
                b.append(String.format(java.util.Locale.ROOT, " [%s%.0f %dB %d e%d h%d]",
                        t.verdict() == DelayLine.Verdict.ACCEPTED ? "" : "X", (t.at() - sinceNanos) / 1e6, t.length(),
                        t.firstByte(), t.epoch(), t.handshakeType()));
            }
        }
        return b.toString();
    }

    /**
     * Drops the next datagram from A (or B) that starts with an epoch-0 DTLS handshake message of this type, once
     * (e.g. 15, CertificateVerify): a deterministic handshake loss for reproducing recovery bugs.
     */
    public void dropNextDtlsHandshake(boolean fromA, int type) {
        (fromA ? aToB : bToA).line.dropNextDtlsHandshake(type);
    }

    /** The source of the last datagram dropped as foreign, per direction (diagnostics), or null. */
    public String lastForeignSources() {
        return "a->b " + aToB.lastForeign + ", b->a " + bToA.lastForeign;
    }

    /** Forgets both endpoints: the next sender on each socket becomes its endpoint again. */
    public void clearEndpoints() {
        aToB.from = null;
        aToB.to = null;
        bToA.from = null;
        bToA.to = null;
    }

    public Stats stats() {
        return new Stats(aToB.stats(), bToA.stats());
    }

    /** The receive buffer sizes the kernel granted (it may cap SO_RCVBUF). */
    public int receiveBufferBytes() throws IOException {
        return Math.min(p1.getOption(StandardSocketOptions.SO_RCVBUF), p2.getOption(StandardSocketOptions.SO_RCVBUF));
    }

    /** Starts the forwarded-bytes timeline anew (bucket 0 begins now). */
    public void restartTimeline() {
        for (Direction d : new Direction[] {aToB, bToA}) {
            for (int i = 0; i < d.timeline.length(); i++) {
                d.timeline.set(i, 0);
            }
        }
        timelineStart = System.nanoTime();
    }

    /** Bytes forwarded A to B (or B to A) per bucket since {@link #restartTimeline()}. */
    public long[] timeline(boolean fromA) {
        AtomicLongArray t = (fromA ? aToB : bToA).timeline;
        long[] out = new long[t.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.get(i);
        }
        return out;
    }

    public long bucketNanos() {
        return bucketNanos;
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            p1.close(); // ends the receivers' blocking receive
            p2.close();
        } finally {
            try {
                for (Direction d : new Direction[] {aToB, bToA}) {
                    LockSupport.unpark(d.sender);
                    d.receiver.join(TimeUnit.SECONDS.toMillis(5));
                    d.sender.join(TimeUnit.SECONDS.toMillis(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * One direction: a receiver thread takes datagrams from {@code in} (blocking) into the line, a sender thread
     * sends each on {@code out} when it is due. Two threads per direction so that receiving never waits for sending
     * (one thread doing both carried about 110 MB/s of 1,200-byte datagrams here, not 150).
     */
    private final class Direction {
        final DatagramChannel in;
        final DatagramChannel out;
        final DelayLine line;
        final Thread receiver;
        final Thread sender;
        final AtomicLongArray timeline;
        final java.util.function.Consumer<InetSocketAddress> learn;
        volatile InetSocketAddress from;
        volatile InetSocketAddress to;
        volatile long foreign;
        volatile SocketAddress lastForeign;
        volatile long unrouted;
        volatile long ioErrors;

        Direction(String name, DatagramChannel in, DatagramChannel out, DelayLine line, int buckets,
                java.util.function.Consumer<InetSocketAddress> learn) {
            this.learn = learn;
            this.in = in;
            this.out = out;
            this.line = line;
            this.timeline = new AtomicLongArray(buckets);
            this.receiver = Thread.ofPlatform().daemon().name("delay-relay " + name + " receive").unstarted(this::receiveLoop);
            this.sender = Thread.ofPlatform().daemon().name("delay-relay " + name + " send").unstarted(this::sendLoop);
        }

        void start() {
            receiver.start();
            sender.start();
        }

        DirectionStats stats() {
            return new DirectionStats(line.accepted, line.forwarded, line.forwardedBytes, line.lost, line.queueDropped,
                    line.ringDropped, line.oversize, line.maxOccupancy, foreign, unrouted, ioErrors);
        }

        private void receiveLoop() {
            while (running) {
                try {
                    ByteBuffer b = line.receiveBuffer();
                    SocketAddress src = in.receive(b);
                    InetSocketAddress f = from;
                    if (f == null && src instanceof InetSocketAddress s) {
                        learn.accept(s); // latch the first sender, as a NAT or a TURN permission would
                        f = s;
                    }
                    if (f == null || !f.equals(src)) {
                        foreign++;
                        lastForeign = src;
                        continue;
                    }
                    if (to == null) {
                        unrouted++;
                        continue;
                    }
                    boolean wasEmpty = line.isEmpty();
                    if (line.commit(System.nanoTime(), b.position()) == DelayLine.Verdict.ACCEPTED && wasEmpty) {
                        LockSupport.unpark(sender);
                    }
                } catch (ClosedChannelException e) {
                    return; // close() is running
                } catch (IOException e) {
                    ioErrors++; // counted; the loop goes on
                    LockSupport.parkNanos(100_000);
                }
            }
        }

        private void sendLoop() {
            while (running) {
                if (line.isEmpty()) {
                    LockSupport.parkNanos(IDLE_WAIT_NANOS); // the receiver unparks us on the first arrival
                    continue;
                }
                long now = System.nanoTime();
                long wait = line.headDue() - now;
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                    continue;
                }
                try {
                    sendDue(now);
                } catch (ClosedChannelException e) {
                    return;
                }
            }
        }

        /** Sends every datagram due by {@code now}. */
        private void sendDue(long now) throws ClosedChannelException {
            InetSocketAddress dst = to;
            long start = timelineStart;
            while (!line.isEmpty() && line.headDue() - now <= 0) {
                ByteBuffer h = line.head();
                int len = h.remaining();
                try {
                    out.send(h, dst);
                } catch (ClosedChannelException e) {
                    throw e;
                } catch (IOException e) {
                    ioErrors++; // this datagram is dropped, the next goes on
                }
                line.pop();
                long bucket = (now - start) / bucketNanos;
                if (bucket >= 0 && bucket < timeline.length()) {
                    timeline.getAndAdd((int) bucket, len);
                }
            }
        }
    }
}
