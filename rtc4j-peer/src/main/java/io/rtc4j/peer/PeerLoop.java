package io.rtc4j.peer;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The one thread of a connection: runs tasks in order (API calls, ICE events, datagrams, DTLS wakeups), calls
 * {@code onTimeout} at the deadline the engine asked for, and {@code afterTask} after each task so the engine's
 * outputs are drained. The queue is bounded: datagram tasks beyond it are dropped and counted, as a full socket
 * buffer would drop them.
 */
final class PeerLoop implements AutoCloseable {
    static final int QUEUE_CAPACITY = 16_384;
    /** A synchronous API call waits at most this long for the connection's thread. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    /** How often a waiting call checks that the thread is still there. */
    private static final long EXIT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final InstantSource clock;
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    /** Control tasks (ICE events, DTLS wakeups, mDNS results): few, never dropped, run before the next task. */
    private final ConcurrentLinkedQueue<Runnable> control = new ConcurrentLinkedQueue<>();
    private static final Runnable NOTHING = () -> {};
    private final Thread thread;
    private final Consumer<Instant> onTimeout;
    private final Runnable afterTask;
    private final Consumer<Throwable> onError;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean running = true;
    private Instant deadline = Instant.MAX; // loop thread only

    PeerLoop(String name, InstantSource clock, Consumer<Instant> onTimeout, Runnable afterTask, Consumer<Throwable> onError) {
        this.clock = clock;
        this.onTimeout = onTimeout;
        this.afterTask = afterTask;
        this.onError = onError;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    Instant now() {
        return clock.instant();
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Loop thread only: the engine's next deadline. */
    void setDeadline(Instant at) {
        deadline = at;
    }

    /** Queues a task; false (counted) when the queue is full or the loop has stopped. */
    boolean execute(Runnable task) {
        if (!running || !tasks.offer(task)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Queues a control task that must not be lost to a full queue (a datagram flood must not drop an ICE state
     * change); it runs before the next queued task.
     */
    boolean executeControl(Runnable task) {
        if (!running) {
            return false;
        }
        control.add(task);
        tasks.offer(NOTHING); // wakes the loop; when the queue is full the loop is busy and sees it anyway
        return true;
    }

    /** Runs {@code task} on the loop thread and returns its result; at once when called from the loop thread. */
    <T> T call(Callable<T> task) {
        if (inLoop()) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                afterTask.run();
            }
        }
        // drain inside the task: the caller sees the states and events its call caused
        FutureTask<T> f = new FutureTask<>(() -> {
            try {
                return task.call();
            } finally {
                afterTask.run();
            }
        });
        try {
            if (!running || !tasks.offer(f, CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("the peer connection's thread is not running");
            }
            return await(f);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the peer connection's thread did not answer within " + CALL_TIMEOUT, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                r.addSuppressed(new Exception("called from here"));
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * The task's result. A task offered just as the thread ended (close() racing a call from another thread)
     * would never run: once the thread is gone the wait ends at once instead of after {@link #CALL_TIMEOUT}.
     */
    private <T> T await(FutureTask<T> f) throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        while (true) {
            try {
                return f.get(Math.min(EXIT_CHECK_NANOS, Math.max(1, deadline - System.nanoTime())), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (!thread.isAlive() && !f.isDone()) {
                    f.cancel(false);
                    throw new IllegalStateException("the peer connection's thread is not running");
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
            }
        }
    }

    long dropped() {
        return dropped.get();
    }

    private void run() {
        while (running) {
            try {
                long waitNanos = deadline.equals(Instant.MAX) ? TimeUnit.SECONDS.toNanos(1)
                        : Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
                Runnable task = waitNanos == 0 ? tasks.poll() : tasks.poll(Math.min(waitNanos, TimeUnit.SECONDS.toNanos(1)),
                        TimeUnit.NANOSECONDS);
                Runnable c;
                while ((c = control.poll()) != null) {
                    c.run();
                    afterTask.run();
                }
                if (task != null && task != NOTHING) {
                    task.run();
                    afterTask.run();
                }
                Instant now = clock.instant();
                if (!now.isBefore(deadline)) {
                    deadline = Instant.MAX;
                    onTimeout.accept(now);
                    afterTask.run();
                }
            } catch (InterruptedException e) {
                running = false;
            } catch (Throwable t) {
                onError.accept(t); // a bug or a throwing callback must not end the connection's thread
            }
        }
        Runnable r;
        while ((r = tasks.poll()) != null) {
            if (r instanceof FutureTask<?> f) {
                f.cancel(false);
            }
        }
    }

    /** Stops the thread after the current task; waits up to 5 s unless called from the loop thread. */
    @Override
    public void close() {
        running = false;
        if (!inLoop()) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
