package io.rtc4j.ice;

import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.client.TurnClient;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.client.TurnClientEvent;
import io.rtc4j.turn.client.TurnClientOutput;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A relayed candidate (RFC 8445 §5.1.1.2) over a TURN client, sans-IO: allocates from one base, announces
 * the relayed candidate, carries the agent's checks and data to peers (creating permissions, then binding
 * channels so data goes as ChannelData) and hands what peers send back to the agent as if it had arrived at
 * the relayed address.
 *
 * <p>The client may reach the server over UDP, TCP or TLS (RFC 8656 §3.1, {@link TurnClientConfig#transport}):
 * over a stream, {@link Output.Transmit}s are bytes to write to the connection in order, {@link #handleInput}
 * takes whatever a read returned (frames are reassembled), and {@link #streamClosed} reports the end of the
 * connection. The relayed address is UDP either way. Not thread-safe.
 */
public final class IceTurnRelay {
    /** Channels this relay binds at most: one per peer address the agent checks through it. */
    static final int MAX_CHANNELS = 64;

    /** What the driver gets from {@link #pollOutput()}. */
    public sealed interface Output {
        /** Send to the TURN server from the base: a datagram over UDP, bytes to write over TCP/TLS. */
        record Transmit(InetSocketAddress from, InetSocketAddress to, ByteBuffer data) implements Output {}

        record CandidateGathered(LocalCandidate candidate) implements Output {}

        /** A peer's datagram, to give the agent as arriving at {@code relayed} from {@code peer}. */
        record Received(InetSocketAddress relayed, InetSocketAddress peer, ByteBuffer data) implements Output {}

        /** The allocation failed or ended: no relayed candidate from this server; close a TCP/TLS connection. */
        record Failed(String reason) implements Output {}

        record Timeout(Instant at) implements Output {}
    }

    private final InetSocketAddress base;
    private final InetSocketAddress server;
    private final int component;
    private final String foundation;
    private final TransportProtocol transport;
    private final TurnClient client;
    private final ArrayDeque<Output> outputs = new ArrayDeque<>();
    private final Set<InetSocketAddress> channels = new HashSet<>();
    private InetSocketAddress relayed;
    private Instant now = Instant.EPOCH; // of the latest input: events that come out of it act at that time

    /**
     * @param base the local transport address the client talks to the server from (over TCP/TLS: the
     *     connection's local address, as the driver sees it)
     */
    public IceTurnRelay(InetSocketAddress base, InetSocketAddress server, TurnClientConfig config, int component,
            String foundation, RandomGenerator random) {
        this.base = base;
        this.server = server;
        this.component = component;
        this.foundation = foundation;
        this.transport = config.transport();
        this.client = new TurnClient(config, random);
    }

    public void start(Instant now) {
        this.now = now;
        client.allocate(now);
    }

    /** How the client reaches the server. */
    public TransportProtocol transport() {
        return transport;
    }

    /** The relayed address once allocated, else null: the agent's Transmits from it go to {@link #send}. */
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** The TURN client, for its counters (drops, retransmissions) and channel state. */
    public TurnClient client() {
        return client;
    }

    /**
     * Consumes bytes from the TURN server to the base (a datagram, or any chunk of the TCP/TLS stream); false
     * for anything else.
     */
    public boolean handleInput(Instant now, InetSocketAddress at, InetSocketAddress source, ByteBuffer data) {
        if (!at.equals(base) || !source.equals(server)) {
            return false;
        }
        this.now = now;
        client.handleInput(now, data);
        return true;
    }

    /** The TCP/TLS connection to the server ended: so did the allocation (RFC 8656 §3.1). */
    public void streamClosed(Instant now) {
        this.now = now;
        client.streamClosed(now);
    }

    /**
     * Relays {@code data} to {@code peer}: first asking for a permission for its address (RFC 8656 §9), then,
     * once the server installed it, binding a channel (§12) so later data goes as ChannelData (4 bytes of
     * overhead instead of 36).
     */
    public void send(Instant now, InetSocketAddress peer, ByteBuffer data) {
        this.now = now;
        if (relayed == null) {
            return;
        }
        if (channels.size() < MAX_CHANNELS && channels.add(peer) && client.hasPermission(peer.getAddress())) {
            client.bindChannel(now, peer);
        }
        client.send(now, peer, data); // asks for a permission first; lost until it lands: ICE retransmits checks
    }

    public void handleTimeout(Instant now) {
        this.now = now;
        client.handleTimeout(now);
    }

    public Output pollOutput() {
        Output o = outputs.poll();
        if (o != null) {
            return o;
        }
        while (true) {
            switch (client.pollOutput()) {
                case TurnClientOutput.Transmit t -> {
                    return new Output.Transmit(base, server, t.data());
                }
                case TurnClientOutput.Timeout t -> {
                    return new Output.Timeout(t.at());
                }
                case TurnClientEvent.TurnAllocated a -> {
                    relayed = a.relayed().getFirst();
                    IceCandidate c = new IceCandidate(foundation, component, IceTransport.UDP, priority(),
                            relayed.getAddress().getHostAddress(), relayed.getPort(), CandidateType.RELAYED,
                            a.mapped() == null ? null : a.mapped().getAddress().getHostAddress(),
                            a.mapped() == null ? -1 : a.mapped().getPort(), null, List.of());
                    return new Output.CandidateGathered(new LocalCandidate(c, relayed));
                }
                case TurnClientEvent.TurnDataReceived d -> {
                    ByteBuffer copy = ByteBuffer.allocate(d.data().remaining()).put(d.data().duplicate()).flip();
                    return new Output.Received(relayed, d.peer(), copy);
                }
                case TurnClientEvent.TurnAllocationEnded e -> {
                    relayed = null;
                    return new Output.Failed("allocation ended: " + e.reason());
                }
                case TurnClientEvent.TurnPermissionCreated p -> {
                    for (InetSocketAddress peer : channels) {
                        if (peer.getAddress().equals(p.peer())) {
                            client.bindChannel(now, peer); // RFC 8656 §12: ChannelData from now on
                        }
                    }
                }
                case TurnClientEvent.TurnRequestFailed f -> {
                    if (relayed == null) {
                        return new Output.Failed("TURN request failed: " + f.failure());
                    }
                }
                default -> {} // refreshes, permissions, channels: the client keeps them up by itself
            }
        }
    }

    // RFC 8445 §5.1.2.1: local preference; relays over UDP first, TCP next, TLS last (as browsers rank them)
    private long priority() {
        int localPreference = switch (transport) {
            case UDP -> 65535;
            case TCP -> 32767;
            case TLS -> 16383;
        };
        return IcePriority.candidate(CandidateType.RELAYED, localPreference, component);
    }
}
