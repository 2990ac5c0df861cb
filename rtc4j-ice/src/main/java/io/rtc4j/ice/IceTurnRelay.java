package io.rtc4j.ice;

import io.rtc4j.turn.client.TurnClient;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.client.TurnClientEvent;
import io.rtc4j.turn.client.TurnClientOutput;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A relayed candidate (RFC 8445 §5.1.1.2) over a TURN client, sans-IO: allocates from one base, announces
 * the relayed candidate, carries the agent's checks and data to peers (creating permissions as needed) and
 * hands what peers send back to the agent as if it had arrived at the relayed address.
 */
public final class IceTurnRelay {
    /** What the driver gets from {@link #pollOutput()}. */
    public sealed interface Output {
        /** Send to the TURN server from the base. */
        record Transmit(InetSocketAddress from, InetSocketAddress to, ByteBuffer data) implements Output {}

        record CandidateGathered(LocalCandidate candidate) implements Output {}

        /** A peer's datagram, to give the agent as arriving at {@code relayed} from {@code peer}. */
        record Received(InetSocketAddress relayed, InetSocketAddress peer, ByteBuffer data) implements Output {}

        /** The allocation failed or ended: no relayed candidate from this server. */
        record Failed(String reason) implements Output {}

        record Timeout(Instant at) implements Output {}
    }

    private final InetSocketAddress base;
    private final InetSocketAddress server;
    private final int component;
    private final String foundation;
    private final TurnClient client;
    private final ArrayDeque<Output> outputs = new ArrayDeque<>();
    private InetSocketAddress relayed;

    public IceTurnRelay(InetSocketAddress base, InetSocketAddress server, TurnClientConfig config, int component,
            String foundation, RandomGenerator random) {
        this.base = base;
        this.server = server;
        this.component = component;
        this.foundation = foundation;
        this.client = new TurnClient(config, random);
    }

    public void start(Instant now) {
        client.allocate(now);
    }

    /** The relayed address once allocated, else null: the agent's Transmits from it go to {@link #send}. */
    public InetSocketAddress relayedAddress() {
        return relayed;
    }

    /** Consumes datagrams from the TURN server to the base; false for anything else. */
    public boolean handleInput(Instant now, InetSocketAddress at, InetSocketAddress source, ByteBuffer data) {
        if (!at.equals(base) || !source.equals(server)) {
            return false;
        }
        client.handleInput(now, data);
        return true;
    }

    /** Relays {@code data} to {@code peer}, first asking for a permission for its address (RFC 8656 §9). */
    public void send(Instant now, InetSocketAddress peer, ByteBuffer data) {
        if (relayed == null) {
            return;
        }
        if (!client.hasPermission(peer.getAddress())) {
            client.createPermission(now, peer.getAddress());
        }
        client.send(now, peer, data); // lost until the permission lands: ICE retransmits its checks
    }

    public void handleTimeout(Instant now) {
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
                    long priority = IcePriority.candidate(CandidateType.RELAYED, 65535, component);
                    IceCandidate c = new IceCandidate(foundation, component, IceTransport.UDP, priority,
                            relayed.getAddress().getHostAddress(), relayed.getPort(), CandidateType.RELAYED,
                            a.mapped().getAddress().getHostAddress(), a.mapped().getPort(), null, List.of());
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
                case TurnClientEvent.TurnRequestFailed f -> {
                    if (relayed == null) {
                        return new Output.Failed("TURN request failed: " + f.failure());
                    }
                }
                default -> {} // refreshes, permissions, channels: the client keeps them up by itself
            }
        }
    }
}
