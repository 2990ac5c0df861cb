package io.rtc4j.testkit.net;

import io.rtc4j.testkit.SimClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * A deterministic virtual UDP network: realms of hosts joined by NATs in a tree, with the public {@link
 * #internet()} at the root. Nothing runs by itself. Every packet hop (leaving a link, being routed, translated,
 * delivered) is an event at a virtual instant; {@link #step()} advances the {@link SimClock} to the earliest event,
 * or to the earliest deadline of a registered {@link SimTimer} (an engine), and runs it. Equal instants run in
 * the order they were scheduled, packets before timers. Randomness comes from one seed, split per link and per
 * NAT in creation order, so the same seed and the same test give the same trace.
 *
 * <p>Not thread-safe: one test thread owns the network, its clock and the engines it drives. Every run loop is
 * bounded by {@link #setMaxStepsPerRun} so a zero-delay ping-pong fails the test instead of hanging it.
 */
public final class SimNetwork {
    private record Event(Instant at, long seq, Runnable action) {}

    private static final Comparator<Event> ORDER =
            Comparator.comparing(Event::at).thenComparingLong(Event::seq);

    private final SimClock clock;
    private final RandomGenerator seeds;
    private final SimRealm internet;
    private final PriorityQueue<Event> events = new PriorityQueue<>(ORDER);
    private final List<SimTimer> timers = new ArrayList<>();
    private final SimCounters counters = new SimCounters();
    private final ArrayDeque<SimTraceEvent> trace = new ArrayDeque<>();
    private int traceCapacity;
    private long seq;
    private int maxStepsPerRun = 1_000_000;
    private boolean running;

    /** A network on a fresh {@link SimClock} starting at {@link SimClock#EPOCH}. */
    public SimNetwork(long seed) {
        this(new SimClock(), new SplittableRandom(seed));
    }

    /** @param random seeds every link's and NAT's own generator; the network draws from it only at creation */
    public SimNetwork(SimClock clock, RandomGenerator random) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.seeds = Objects.requireNonNull(random, "random");
        this.internet = new SimRealm(this, "internet", null);
    }

    public SimClock clock() {
        return clock;
    }

    public Instant now() {
        return clock.now();
    }

    /** The public realm. */
    public SimRealm internet() {
        return internet;
    }

    /** Network-wide counters: sends and deliveries of all hosts, drops everywhere. */
    public SimCounters counters() {
        return counters;
    }

    // ---- driving --------------------------------------------------------------------------------------------

    /** Registers an engine's deadlines; timers run in time order with packets. */
    public void addTimer(SimTimer timer) {
        timers.add(Objects.requireNonNull(timer, "timer"));
    }

    public void removeTimer(SimTimer timer) {
        timers.remove(timer);
    }

    /** Runs {@code action} at {@code at} (at now if {@code at} has passed), e.g. "at 5 s, B starts sending". */
    public void schedule(Instant at, Runnable action) {
        scheduleInternal(at, Objects.requireNonNull(action, "action"));
    }

    /** The instant of the earliest pending packet event or timer deadline; {@link Instant#MAX} if none. */
    public Instant nextEventTime() {
        Instant t = events.isEmpty() ? Instant.MAX : events.peek().at();
        SimTimer timer = earliestTimer();
        if (timer != null && deadlineOf(timer).isBefore(t)) {
            t = deadlineOf(timer);
        }
        return t;
    }

    /** Advances the clock to the earliest event or deadline and runs that one; false if there is none. */
    public boolean step() {
        Instant packetAt = events.isEmpty() ? Instant.MAX : events.peek().at();
        SimTimer timer = earliestTimer();
        if (timer != null && deadlineOf(timer).isBefore(packetAt)) {
            clock.advanceTo(deadlineOf(timer));
            timer.fire(clock.now());
            return true;
        }
        if (events.isEmpty()) {
            return false;
        }
        Event e = events.poll();
        clock.advanceTo(e.at());
        e.action().run();
        return true;
    }

    /** Runs everything due up to {@code until}, then sets the clock to {@code until}; returns the steps run. */
    public int runUntil(Instant until) {
        boolean outer = enter();
        try {
            int steps = 0;
            while (!nextEventTime().isAfter(until)) {
                step();
                checkBudget(++steps, until);
            }
            clock.advanceTo(until);
            return steps;
        } finally {
            leave(outer);
        }
    }

    public int runFor(Duration d) {
        return runUntil(clock.now().plus(d));
    }

    /**
     * Steps until {@code done} holds (checked before every step) or nothing is due within {@code bound} of now.
     * Returns whether {@code done} held; on failure the clock stands at the bound.
     */
    public boolean runUntil(BooleanSupplier done, Duration bound) {
        Instant limit = clock.now().plus(bound);
        boolean outer = enter();
        try {
            int steps = 0;
            while (!done.getAsBoolean()) {
                if (nextEventTime().isAfter(limit)) {
                    clock.advanceTo(limit);
                    return done.getAsBoolean();
                }
                step();
                checkBudget(++steps, limit);
            }
            return true;
        } finally {
            leave(outer);
        }
    }

    /** Runs until no packet is in flight and no timer has a deadline, within {@code bound}; true if idle. */
    public boolean runUntilIdle(Duration bound) {
        return runUntil(() -> nextEventTime().equals(Instant.MAX), bound);
    }

    /** The most steps one run call may take before it fails with {@link IllegalStateException}. */
    public void setMaxStepsPerRun(int max) {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be > 0: " + max);
        }
        this.maxStepsPerRun = max;
    }

    /** Runs what is due at the clock's current time, unless a run is already under way (a handler polling). */
    void catchUp() {
        if (!running) {
            runUntil(clock.now());
        }
    }

    private boolean enter() {
        boolean outer = !running;
        running = true;
        return outer;
    }

    private void leave(boolean outer) {
        if (outer) {
            running = false;
        }
    }

    private void checkBudget(int steps, Instant until) {
        if (steps >= maxStepsPerRun) {
            throw new IllegalStateException("more than " + maxStepsPerRun + " steps at " + clock.now()
                    + " on the way to " + until + ": a zero-delay loop, or a timer that does not move its deadline?");
        }
    }

    private SimTimer earliestTimer() {
        SimTimer best = null;
        for (SimTimer t : timers) {
            if (best == null || deadlineOf(t).isBefore(deadlineOf(best))) {
                best = t;
            }
        }
        return best == null || deadlineOf(best).equals(Instant.MAX) ? null : best;
    }

    private static Instant deadlineOf(SimTimer t) {
        Instant d = t.deadline();
        return d == null ? Instant.MAX : d;
    }

    // ---- tracing --------------------------------------------------------------------------------------------

    /** Keeps the last {@code capacity} events (0 turns tracing off and clears it). */
    public void enableTrace(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        this.traceCapacity = capacity;
        while (trace.size() > capacity) {
            trace.pollFirst();
        }
    }

    /** A copy of the retained trace, oldest first. */
    public List<SimTraceEvent> trace() {
        return List.copyOf(trace);
    }

    // ---- hooks for nodes, links and NATs --------------------------------------------------------------------

    RandomGenerator newRandom() {
        return new SplittableRandom(seeds.nextLong());
    }

    void scheduleInternal(Instant at, Runnable action) {
        events.add(new Event(Objects.requireNonNull(at, "at"), seq++, action));
    }

    void sent(SimNode node, SimPacket p) {
        node.counters.addSent();
        counters.addSent();
        record(SimTraceEvent.Kind.SENT, node, p, null);
    }

    void delivered(SimNode node, SimPacket p) {
        node.counters.addDelivered();
        counters.addDelivered();
        record(SimTraceEvent.Kind.DELIVERED, node, p, null);
    }

    void duplicated(SimNode node, SimPacket p) {
        node.counters.addDuplicated();
        counters.addDuplicated();
        record(SimTraceEvent.Kind.DUPLICATED, node, p, null);
    }

    void drop(SimNode node, SimPacket p, DropReason reason) {
        node.counters.addDropped(reason);
        counters.addDropped(reason);
        record(SimTraceEvent.Kind.DROPPED, node, p, reason);
    }

    /** A NAT translated a packet: counted as the NAT's sent (outwards) or delivered (inwards). */
    void translated(SimNat nat, SimTraceEvent.Kind kind, SimPacket p) {
        if (kind == SimTraceEvent.Kind.NAT_OUT) {
            nat.counters.addSent();
        } else {
            nat.counters.addDelivered();
        }
        record(kind, nat, p, null);
    }

    void mapping(SimNat nat, SimTraceEvent.Kind kind, NatMapping m) {
        if (traceCapacity > 0) {
            add(new SimTraceEvent(clock.now(), kind, nat.name(), m.internal, m.external, -1, null));
        }
    }

    private void record(SimTraceEvent.Kind kind, SimNode node, SimPacket p, DropReason reason) {
        if (traceCapacity > 0) {
            add(new SimTraceEvent(
                    clock.now(), kind, node.name(), p.source(), p.destination(), p.data().length, reason));
        }
    }

    private void add(SimTraceEvent e) {
        if (trace.size() == traceCapacity) {
            trace.pollFirst();
        }
        trace.addLast(e);
    }
}
