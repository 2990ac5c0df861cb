package io.rtc4j.ice.net;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.CandidateType;
import io.rtc4j.ice.IceAgent;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceGatherer;
import io.rtc4j.ice.IceOutput;
import io.rtc4j.ice.IceTurnRelay;
import io.rtc4j.ice.LocalCandidate;
import io.rtc4j.stun.PacketDemux;
import io.rtc4j.stun.PacketKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One ICE agent with its gatherer and TURN relays, wired to sockets through a {@link Transport}: demultiplexes
 * what arrives (RFC 7983), drains every engine after every input (str0m's rule), routes the agent's transmits
 * from host sockets or through the relay, and keeps volatile snapshots for other threads. Engine calls happen
 * on the loop thread only; the public methods post to it.
 */
final class IceSession implements IceConnection, UdpEventLoop.Timed {
    private static final int MAX_OUTPUTS_PER_DRAIN = 10_000;
    private static final int MAX_DRAIN_PASSES = 64;
    /** Remote addresses trusted for application datagrams, at most (the agent's pairs are fewer). */
    static final int MAX_REMOTES = 1024;

    /** Writes a datagram from a local socket address; thread-safe; false when it could not be sent. */
    interface Transport {
        boolean send(InetSocketAddress from, InetSocketAddress to, ByteBuffer data);
    }

    private static final class RelaySlot {
        final IceTurnRelay relay;
        final InetSocketAddress server;
        boolean done;
        Instant deadline = Instant.MAX;

        RelaySlot(IceTurnRelay relay, InetSocketAddress server) {
            this.relay = relay;
            this.server = server;
        }
    }

    /** Where application datagrams go: from a host socket, or through a relay. */
    private record Route(InetSocketAddress from, InetSocketAddress to, IceTurnRelay relay) {}

    private final UdpEventLoop loop;
    private final IceAgent agent;
    private final IceGatherer gatherer;
    private final List<RelaySlot> relays = new java.util.ArrayList<>();
    private final boolean relayOnly;
    private final Transport transport;
    private final IceDriverListener listener;
    private final DriverCounters counters;
    private final Consumer<InetSocketAddress> onTransmitTo;
    private final Runnable onClose;
    private final List<IceCandidate> candidates = new CopyOnWriteArrayList<>();
    private final java.util.Set<InetSocketAddress> remotes = new java.util.HashSet<>();
    private volatile IceConnectionState state = IceConnectionState.NEW;
    private volatile CandidatePair selected;
    private volatile Route route;
    private volatile boolean closed;
    private Instant agentDeadline = Instant.MAX;
    private Instant gathererDeadline = Instant.MAX;
    private Instant deadline = Instant.MAX;
    private boolean gathererDone;
    private boolean gatheringAnnounced;

    IceSession(UdpEventLoop loop, IceAgent agent, IceGatherer gatherer, boolean relayOnly, Transport transport,
            IceDriverListener listener, DriverCounters counters, Consumer<InetSocketAddress> onTransmitTo, Runnable onClose) {
        this.loop = loop;
        this.agent = agent;
        this.gatherer = gatherer;
        this.relayOnly = relayOnly;
        this.transport = transport;
        this.listener = listener;
        this.counters = counters;
        this.onTransmitTo = onTransmitTo;
        this.onClose = onClose;
    }

    /** Before {@link #start}. */
    void addRelay(IceTurnRelay relay, InetSocketAddress server) {
        relays.add(new RelaySlot(relay, server));
    }

    /** Loop thread: gathering begins. */
    void start(Instant now) {
        gatherer.start(now);
        for (RelaySlot s : relays) {
            s.relay.start(now);
        }
        drain(now);
    }

    /**
     * Loop thread: a datagram that arrived at {@code local}. Returns true when an ICE engine took it without
     * dropping it (the mux then trusts the source's 5-tuple).
     */
    boolean received(Instant now, InetSocketAddress local, InetSocketAddress source, ByteBuffer data) {
        if (closed) {
            counters.unrouted.increment();
            return false;
        }
        PacketKind kind = PacketDemux.classify(data);
        switch (kind) {
            case STUN -> {
                if (gatherer.handleInput(now, local, source, data) || relayInput(now, local, source, data)) {
                    drain(now);
                    return true;
                }
                if (relayOnly) {
                    counters.unrouted.increment(); // RFC 8445 §5.1.1: no host candidate, nothing to answer
                    return false;
                }
                boolean accepted = agentInput(now, local, source, data);
                if (accepted) {
                    trust(source);
                }
                drain(now);
                return accepted;
            }
            case TURN_CHANNEL -> {
                if (relayInput(now, local, source, data)) {
                    drain(now);
                    return true;
                }
                counters.unrouted.increment();
                return false;
            }
            case UNKNOWN -> {
                counters.malformed.increment();
                return false;
            }
            default -> {
                if (relayOnly || !remotes.contains(source)) {
                    counters.unrouted.increment(); // only a peer that passed a check may talk to the app
                    return false;
                }
                application(kind, local, source, data);
                return true;
            }
        }
    }

    private boolean relayInput(Instant now, InetSocketAddress local, InetSocketAddress source, ByteBuffer data) {
        for (RelaySlot s : relays) {
            if (s.relay.handleInput(now, local, source, data)) {
                return true;
            }
        }
        return false;
    }

    private boolean agentInput(Instant now, InetSocketAddress local, InetSocketAddress source, ByteBuffer data) {
        long before = agent.dropped();
        agent.handleInput(now, local, source, data);
        long dropped = agent.dropped() - before;
        counters.byAgent.add(dropped);
        return dropped == 0;
    }

    /** A peer that passed MESSAGE-INTEGRITY: its application datagrams are accepted (bounded set). */
    private void trust(InetSocketAddress remote) {
        if (remotes.size() < MAX_REMOTES) {
            remotes.add(remote);
        }
    }

    /** STUN class bits 00 (RFC 8489 §5): a request, not a response we answer to a stranger. */
    private static boolean isRequest(ByteBuffer stun) {
        return stun.remaining() >= 2 && (stun.getShort(stun.position()) & 0x0110) == 0;
    }

    private void application(PacketKind kind, InetSocketAddress local, InetSocketAddress source, ByteBuffer data) {
        counters.application.increment();
        try {
            listener.onDatagram(kind, local, source, data);
        } catch (RuntimeException e) {
            counters.listenerErrors.increment();
        }
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void fire(Instant now) {
        if (closed) {
            deadline = Instant.MAX;
            return;
        }
        gatherer.handleTimeout(now);
        for (RelaySlot s : relays) {
            s.relay.handleTimeout(now);
        }
        agent.handleTimeout(now);
        drain(now);
    }

    /** Drains every engine until all are quiet (bounded), then recomputes the deadline. */
    private void drain(Instant now) {
        for (int pass = 0; pass < MAX_DRAIN_PASSES; pass++) {
            boolean progress = drainGatherer(now);
            progress |= drainRelays(now);
            progress |= drainAgent(now);
            if (!progress) {
                break;
            }
        }
        Instant d = agentDeadline.isBefore(gathererDeadline) ? agentDeadline : gathererDeadline;
        for (RelaySlot s : relays) {
            if (s.deadline.isBefore(d)) {
                d = s.deadline;
            }
        }
        deadline = closed ? Instant.MAX : d;
    }

    private boolean drainGatherer(Instant now) {
        for (int i = 0; i < MAX_OUTPUTS_PER_DRAIN; i++) {
            switch (gatherer.pollOutput()) {
                case IceGatherer.Output.Transmit t -> send(t.from(), t.to(), t.data());
                case IceGatherer.Output.CandidateGathered c -> {
                    if (!relayOnly) {
                        addLocal(now, c.candidate());
                    }
                }
                case IceGatherer.Output.GatheringComplete c -> {
                    gathererDone = true;
                    maybeGatheringCompleted();
                }
                case IceGatherer.Output.Timeout t -> {
                    gathererDeadline = t.at();
                    return i > 0;
                }
            }
        }
        return true;
    }

    private boolean drainRelays(Instant now) {
        boolean progress = false;
        for (RelaySlot s : relays) {
            for (int i = 0; i < MAX_OUTPUTS_PER_DRAIN; i++) {
                IceTurnRelay.Output o = s.relay.pollOutput();
                if (o instanceof IceTurnRelay.Output.Timeout t) {
                    s.deadline = t.at();
                    break;
                }
                progress = true;
                switch (o) {
                    case IceTurnRelay.Output.Transmit t -> send(t.from(), t.to(), t.data());
                    case IceTurnRelay.Output.CandidateGathered c -> {
                        addLocal(now, c.candidate());
                        s.done = true;
                        maybeGatheringCompleted();
                    }
                    case IceTurnRelay.Output.Received r -> {
                        PacketKind kind = PacketDemux.classify(r.data());
                        if (kind == PacketKind.STUN) {
                            if (agentInput(now, r.relayed(), r.peer(), r.data())) {
                                trust(r.peer());
                            }
                        } else if (kind == PacketKind.UNKNOWN) {
                            counters.malformed.increment();
                        } else if (!remotes.contains(r.peer())) {
                            counters.unrouted.increment();
                        } else {
                            application(kind, r.relayed(), r.peer(), r.data());
                        }
                    }
                    case IceTurnRelay.Output.Failed f -> {
                        s.done = true;
                        emit(new IceDriverEvent.RelayFailed(s.server, f.reason()));
                        maybeGatheringCompleted();
                    }
                    case IceTurnRelay.Output.Timeout t -> {} // handled above
                }
            }
        }
        return progress;
    }

    private boolean drainAgent(Instant now) {
        for (int i = 0; i < MAX_OUTPUTS_PER_DRAIN; i++) {
            switch (agent.pollOutput()) {
                case IceOutput.Transmit t -> {
                    IceTurnRelay relay = relayFor(t.from());
                    if (relay != null) {
                        relay.send(now, t.to(), t.data());
                    } else {
                        if (isRequest(t.data())) {
                            onTransmitTo.accept(t.to()); // our check: its answer must find its way back
                        }
                        send(t.from(), t.to(), t.data());
                    }
                }
                case IceOutput.StateChanged s -> {
                    state = s.state();
                    if (s.state() == IceConnectionState.FAILED || s.state() == IceConnectionState.CLOSED) {
                        route = null; // RFC 7675 §5.1: no consent, no sending
                    }
                    emit(new IceDriverEvent.StateChanged(s.state()));
                }
                case IceOutput.SelectedPairChanged p -> {
                    selected = p.pair();
                    route = routeFor(p.pair());
                    emit(new IceDriverEvent.SelectedPairChanged(p.pair()));
                }
                case IceOutput.RemoteCandidateLearned r -> emit(new IceDriverEvent.RemoteCandidateLearned(r.candidate()));
                case IceOutput.RoleChanged r -> emit(new IceDriverEvent.RoleChanged(r.role()));
                // ICE restart (branch ice-agent) is not driven through this driver yet; the agent keeps its state
                case IceOutput.IceRestarted r -> {}
                case IceOutput.Timeout t -> {
                    agentDeadline = t.at();
                    return i > 0;
                }
            }
        }
        return true;
    }

    private void addLocal(Instant now, LocalCandidate c) {
        agent.addLocalCandidate(now, c);
        candidates.add(c.candidate());
        emit(new IceDriverEvent.CandidateGathered(c.candidate()));
    }

    private void maybeGatheringCompleted() {
        if (gatheringAnnounced || !gathererDone) {
            return;
        }
        for (RelaySlot s : relays) {
            if (!s.done) {
                return;
            }
        }
        gatheringAnnounced = true;
        emit(new IceDriverEvent.GatheringCompleted());
    }

    private IceTurnRelay relayFor(InetSocketAddress from) {
        for (RelaySlot s : relays) {
            if (from.equals(s.relay.relayedAddress())) {
                return s.relay;
            }
        }
        return null;
    }

    private Route routeFor(CandidatePair pair) {
        InetSocketAddress to = pair.remote().socketAddress().orElse(null);
        if (to == null) {
            return null;
        }
        InetSocketAddress from = pair.local().sendAddress();
        IceTurnRelay relay = pair.local().candidate().type() == CandidateType.RELAYED ? relayFor(from) : null;
        return new Route(from, to, relay);
    }

    private void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer data) {
        if (transport.send(from, to, data)) {
            counters.sent.increment();
        } else {
            counters.sendFailures.increment();
        }
    }

    private void emit(IceDriverEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ex) {
            counters.listenerErrors.increment();
        }
    }

    // ---- IceConnection: any thread ----

    @Override
    public IceCredentials localCredentials() {
        return agent.localCredentials(); // immutable after construction
    }

    @Override
    public List<IceCandidate> localCandidates() {
        return List.copyOf(candidates);
    }

    @Override
    public void setRemoteCredentials(IceCredentials remote) {
        onLoop(now -> agent.setRemoteCredentials(now, remote));
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) {
        onLoop(now -> agent.addRemoteCandidate(now, candidate));
    }

    @Override
    public void endOfRemoteCandidates() {
        onLoop(agent::endOfRemoteCandidates);
    }

    @Override
    public boolean send(ByteBuffer data) {
        Route r = route;
        if (r == null || closed) {
            counters.sendFailures.increment();
            return false;
        }
        if (r.relay() == null) {
            boolean ok = transport.send(r.from(), r.to(), data.duplicate());
            (ok ? counters.sent : counters.sendFailures).increment();
            return ok;
        }
        if (loop.inLoop()) {
            Instant now = loop.now();
            r.relay().send(now, r.to(), data.duplicate());
            drain(now);
            return true;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
        boolean queued = loop.execute(() -> {
            if (!closed) {
                Instant now = loop.now();
                r.relay().send(now, r.to(), copy);
                drain(now);
            }
        });
        if (!queued) {
            counters.sendFailures.increment();
        }
        return queued;
    }

    @Override
    public IceConnectionState state() {
        return state;
    }

    @Override
    public Optional<CandidatePair> selectedPair() {
        return Optional.ofNullable(selected);
    }

    @Override
    public IceDriverStats stats() {
        return counters.snapshot(0);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        Runnable stop = () -> {
            if (!closed) {
                closed = true;
                route = null;
                agent.close();
                state = IceConnectionState.CLOSED;
                deadline = Instant.MAX;
                onClose.run();
            }
        };
        if (loop.inLoop() || !loop.execute(stop)) {
            stop.run(); // on the loop, or the loop is gone (nothing else touches the engines then)
        }
    }

    boolean isClosed() {
        return closed;
    }

    /** Runs an engine call on the loop, then drains; throws when the loop cannot take it. */
    private void onLoop(Consumer<Instant> call) {
        Runnable r = () -> {
            if (!closed) {
                Instant now = loop.now();
                call.accept(now);
                drain(now);
            }
        };
        if (loop.inLoop()) {
            r.run();
        } else if (!loop.execute(r) && !closed) {
            throw new IllegalStateException("the driver's task queue is full or the driver is closed");
        }
    }
}
