package io.rtc4j.ice.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * One thread, one {@link Selector}: reads the registered UDP sockets into a single reused buffer, runs tasks
 * posted from other threads, and fires timers at their deadlines. Everything it calls runs on its thread.
 * Bounded: at most {@link #READS_PER_WAKE} datagrams per socket per wake-up (so one flooded socket cannot
 * starve the others or the timers), a fixed task queue, and a fixed buffer.
 */
final class UdpEventLoop {
    static final int READS_PER_WAKE = 64;
    private static final int TASKS_PER_WAKE = 4096;
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration MAX_WAIT = Duration.ofHours(1);

    /** A datagram from a registered socket; {@code data} is valid only during the call. */
    interface Receiver {
        void received(Instant now, InetSocketAddress local, InetSocketAddress source, ByteBuffer data);
    }

    /** Something with a deadline: fired once the clock reaches it. */
    interface Timed {
        Instant deadline();

        void fire(Instant now);
    }

    private record Endpoint(DatagramChannel channel, InetSocketAddress local, Receiver receiver) {}

    private final InstantSource clock;
    private final Selector selector;
    private final ByteBuffer buffer;
    private final int maxDatagramSize;
    private final DriverCounters counters;
    private final ArrayBlockingQueue<Runnable> tasks;
    private final List<Timed> timers = new ArrayList<>();
    private final List<DatagramChannel> channels = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    UdpEventLoop(String name, InstantSource clock, int maxDatagramSize, int taskCapacity, DriverCounters counters)
            throws IOException {
        this.clock = clock;
        this.selector = Selector.open();
        this.maxDatagramSize = maxDatagramSize;
        this.buffer = ByteBuffer.allocateDirect(maxDatagramSize + 1); // one spare byte tells truncation apart
        this.counters = counters;
        this.tasks = new ArrayBlockingQueue<>(taskCapacity);
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
    }

    /** Before {@link #start()} or on the loop thread. The loop closes the channel when it ends. */
    void register(DatagramChannel channel, Receiver receiver) throws IOException {
        channel.configureBlocking(false);
        InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
        channels.add(channel);
        try {
            channel.register(selector, SelectionKey.OP_READ, new Endpoint(channel, local, receiver));
        } catch (ClosedChannelException e) {
            throw new IOException("socket closed before registration", e);
        }
    }

    /** Before {@link #start()} or on the loop thread. */
    void addTimer(Timed timer) {
        timers.add(timer);
    }

    /** On the loop thread. */
    void removeTimer(Timed timer) {
        timers.remove(timer);
    }

    void start() {
        thread.start();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    Instant now() {
        return clock.instant();
    }

    /** Runs {@code task} on the loop thread; false when the queue is full or the loop closed. */
    boolean execute(Runnable task) {
        if (closed || !tasks.offer(task)) {
            return false;
        }
        selector.wakeup();
        return true;
    }

    /** Stops the thread (waiting for it unless called from it) and closes the selector and every socket. */
    void close() {
        closed = true;
        selector.wakeup();
        if (!inLoop() && thread.isAlive()) {
            try {
                thread.join(JOIN_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!thread.isAlive()) {
            releaseAll(); // also when the thread never started
        }
    }

    boolean threadAlive() {
        return thread.isAlive();
    }

    private void run() {
        try {
            while (!closed) {
                long waitMillis = waitMillis(clock.instant());
                if (waitMillis < 0) {
                    selector.selectNow();
                } else {
                    selector.select(waitMillis); // 0 = until woken
                }
                if (closed) {
                    break;
                }
                readReady();
                runTasks();
                fireTimers();
            }
        } catch (IOException | RuntimeException e) {
            counters.listenerErrors.increment(); // the selector itself failed: end the loop, close everything
        } finally {
            closed = true;
            releaseAll();
        }
    }

    private void readReady() {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            if (!key.isValid()) {
                continue;
            }
            Endpoint e = (Endpoint) key.attachment();
            for (int i = 0; i < READS_PER_WAKE; i++) {
                InetSocketAddress source;
                buffer.clear();
                try {
                    source = (InetSocketAddress) e.channel().receive(buffer);
                } catch (IOException ex) {
                    counters.malformed.increment(); // e.g. an ICMP error surfaced on the socket
                    break;
                }
                if (source == null) {
                    break;
                }
                counters.received.increment();
                buffer.flip();
                if (buffer.remaining() > maxDatagramSize) {
                    counters.oversize.increment();
                    continue;
                }
                try {
                    e.receiver().received(clock.instant(), e.local(), source, buffer);
                } catch (RuntimeException ex) {
                    counters.listenerErrors.increment(); // never unwind the loop
                }
            }
        }
    }

    private void runTasks() {
        for (int i = 0; i < TASKS_PER_WAKE; i++) {
            Runnable r = tasks.poll();
            if (r == null) {
                return;
            }
            try {
                r.run();
            } catch (RuntimeException ex) {
                counters.listenerErrors.increment();
            }
        }
    }

    private void fireTimers() {
        Instant now = clock.instant();
        for (int i = 0; i < timers.size(); i++) { // by index: a timer may remove itself
            Timed t = timers.get(i);
            if (!now.isBefore(t.deadline())) {
                try {
                    t.fire(now);
                } catch (RuntimeException ex) {
                    counters.listenerErrors.increment();
                }
            }
        }
    }

    /** -1: something is due now; 0: nothing scheduled; else milliseconds, rounded up. */
    private long waitMillis(Instant now) {
        if (!tasks.isEmpty()) {
            return -1;
        }
        Instant next = Instant.MAX;
        for (Timed t : timers) {
            Instant d = t.deadline();
            if (d.isBefore(next)) {
                next = d;
            }
        }
        if (next == Instant.MAX) {
            return 0;
        }
        if (!now.isBefore(next)) {
            return -1;
        }
        Duration d = Duration.between(now, next);
        if (d.compareTo(MAX_WAIT) > 0) {
            return MAX_WAIT.toMillis(); // far deadlines: wake up now and then instead of overflowing
        }
        return Math.max(1, (d.toNanos() + 999_999) / 1_000_000);
    }

    private void releaseAll() {
        for (DatagramChannel c : channels) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing: nothing left to do with it
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing
        }
        tasks.clear();
    }
}
