package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.turn.client.TurnClient;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.client.TurnClientEvent;
import io.rtc4j.turn.client.TurnClientOutput;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;

/**
 * A {@link TurnClient} wired to a real {@link TurnServerEngine} in memory on the harness's {@link
 * io.rtc4j.testkit.SimClock}: the client's Transmits become the server's client input (split into frames over
 * TCP), the server's ToClient becomes client input (cut into random chunks over TCP, to exercise reassembly),
 * and the server's ToPeer reaches a "peer" that records it and, when {@link #echo} is on, answers through
 * {@code handlePeerInput}. Loss is injected with {@link #dropToServer} and {@link #dropToClient}. Time only
 * moves in {@link #advance}, which runs both engines' timers in deadline order.
 */
final class ClientServerLink {
    final EngineHarness h;
    final FiveTuple tuple;
    final TurnClient client;
    /** Every event, with received data copied (the client's views are only valid until its next call). */
    final List<TurnClientEvent> events = new ArrayList<>();
    /** Every datagram the relay sent to a peer. */
    final List<TurnOutput.ToPeer> toPeers = new ArrayList<>();
    /** Everything the client sent (copied), before loss; over TCP one entry per Transmit. */
    final List<ByteBuffer> sent = new ArrayList<>();
    /** The peer echoes every datagram back to the relay. */
    boolean echo;
    /** Decides, for each client Transmit, whether the network loses it. */
    Predicate<ByteBuffer> dropToServer = b -> false;
    /** Decides, for each server message to the client, whether the network loses it. */
    Predicate<ByteBuffer> dropToClient = b -> false;
    int droppedToServer;
    int droppedToClient;

    private final SplittableRandom chunking = new SplittableRandom(99);
    private final ArrayDeque<ByteBuffer> toServer = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> toClient = new ArrayDeque<>();
    private ByteBuffer serverStream = ByteBuffer.allocate(0); // TCP bytes not yet framed
    private Instant clientDeadline = Instant.MAX;

    ClientServerLink(EngineHarness h, FiveTuple tuple, TurnClientConfig config) {
        this.h = h;
        this.tuple = tuple;
        this.client = new TurnClient(config, new SplittableRandom(1234));
    }

    static ClientServerLink udp(EngineHarness h) {
        return new ClientServerLink(h, EngineHarness.udp("192.0.2.10", 40000), alice().build());
    }

    static ClientServerLink tcp(EngineHarness h) {
        return new ClientServerLink(h, EngineHarness.tcp("192.0.2.10", 40001),
                alice().transport(TransportProtocol.TCP).build());
    }

    static TurnClientConfig.Builder alice() {
        return TurnClientConfig.builder(EngineHarness.USER, EngineHarness.PASSWORD).software("rtc4j-test");
    }

    Instant now() {
        return h.clock.now();
    }

    /** Allocates and runs the exchange until it settles; asserts success. */
    TurnClientEvent.TurnAllocated allocate() {
        client.allocate(now());
        settle();
        List<TurnClientEvent.TurnAllocated> a = events(TurnClientEvent.TurnAllocated.class);
        assertThat(a).as("allocated; events %s", events).hasSize(1);
        return a.get(0);
    }

    /** Runs every message in flight to completion at the current time. */
    void settle() {
        drainClient();
        for (int guard = 0; !toServer.isEmpty() || !toClient.isEmpty(); guard++) {
            assertThat(guard).as("the link never settles").isLessThan(100_000);
            if (!toServer.isEmpty()) {
                deliverToServer(toServer.poll());
            } else {
                ByteBuffer b = toClient.poll();
                client.handleInput(now(), b);
                drainClient();
            }
        }
    }

    /** Moves time forward, running both engines' timers at their deadlines on the way. */
    void advance(Duration d) {
        Instant target = now().plus(d);
        for (int guard = 0; ; guard++) {
            assertThat(guard).as("too many wake-ups").isLessThan(1_000_000);
            Instant next = h.deadline().isBefore(clientDeadline) ? h.deadline() : clientDeadline;
            if (next.isAfter(target)) {
                break;
            }
            h.clock.advanceTo(next);
            Instant now = now();
            if (!h.deadline().isAfter(now)) {
                h.engine.handleTimeout(now);
                route(h.drain());
            }
            if (!clientDeadline.isAfter(now)) {
                client.handleTimeout(now);
            }
            settle();
            assertThat(clientDeadline).as("the client asks for a deadline that has passed").isAfterOrEqualTo(now);
        }
        h.clock.advanceTo(target);
    }

    /** The peer sends {@code data} to the client's relay (a permission must exist on the server). */
    void peerSends(InetSocketAddress peer, byte[] data) {
        route(h.fromPeer(relay(), peer, data));
        settle();
    }

    void send(InetSocketAddress peer, String text) {
        client.send(now(), peer, ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        settle();
    }

    /** Raw bytes as if from the server (a datagram, or a chunk of the TCP stream), then settles. */
    void fromServer(byte[] bytes) {
        client.handleInput(now(), ByteBuffer.wrap(bytes));
        drainClient();
        settle();
    }

    /** The last STUN request the client sent, or null. */
    io.rtc4j.stun.StunMessage lastRequest() {
        for (int i = sent.size() - 1; i >= 0; i--) {
            io.rtc4j.stun.StunMessage m = TurnTestClient.decodeOrNull(sent.get(i));
            if (m != null && m.messageClass() == io.rtc4j.stun.StunClass.REQUEST) {
                return m;
            }
        }
        return null;
    }

    RelayEndpoint relay() {
        return h.relays.live().get(0);
    }

    <T extends TurnClientEvent> List<T> events(Class<T> kind) {
        return events.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Texts received by the client, in order. */
    List<String> received() {
        return events(TurnClientEvent.TurnDataReceived.class).stream().map(e -> text(e.data())).toList();
    }

    /** Texts the peer received, in order. */
    List<String> peerReceived() {
        return toPeers.stream().map(p -> text(p.data())).toList();
    }

    static String text(ByteBuffer b) {
        return new String(EngineHarness.bytes(b), java.nio.charset.StandardCharsets.UTF_8);
    }

    // ---- plumbing ----

    private void drainClient() {
        for (int guard = 0; ; guard++) {
            assertThat(guard).as("pollOutput never returned Timeout").isLessThan(1_000_000);
            switch (client.pollOutput()) {
                case TurnClientOutput.Transmit t -> {
                    ByteBuffer copy = EngineHarness.copy(t.data());
                    sent.add(copy);
                    if (dropToServer.test(copy.duplicate())) {
                        droppedToServer++;
                    } else {
                        toServer.add(copy.duplicate());
                    }
                }
                case TurnClientOutput.Timeout t -> {
                    clientDeadline = t.at();
                    return;
                }
                case TurnClientEvent.TurnDataReceived d -> events.add(
                        new TurnClientEvent.TurnDataReceived(d.peer(), EngineHarness.copy(d.data()).asReadOnlyBuffer()));
                case TurnClientEvent e -> events.add(e);
            }
        }
    }

    private void deliverToServer(ByteBuffer bytes) {
        if (!tuple.transport().isStream()) {
            route(h.fromClient(tuple, bytes));
            return;
        }
        ByteBuffer joined = ByteBuffer.allocate(serverStream.remaining() + bytes.remaining());
        joined.put(serverStream).put(bytes).flip();
        int length;
        while ((length = ChannelData.frameLength(joined)) >= 0 && length <= joined.remaining()) {
            ByteBuffer frame = joined.slice(joined.position(), length);
            joined.position(joined.position() + length);
            route(h.fromClient(tuple, EngineHarness.copy(frame)));
        }
        serverStream = joined;
    }

    private void route(List<TurnOutput> outputs) {
        for (TurnOutput o : outputs) {
            switch (o) {
                case TurnOutput.ToClient c -> {
                    assertThat(c.tuple()).isEqualTo(tuple);
                    if (dropToClient.test(c.data().duplicate())) {
                        droppedToClient++;
                    } else if (!tuple.transport().isStream()) {
                        toClient.add(c.data());
                    } else {
                        chunk(c.data()); // a stream has no message boundaries
                    }
                }
                case TurnOutput.ToPeer p -> {
                    toPeers.add(p);
                    if (echo) {
                        route(h.fromPeer(p.relay(), p.peer(), EngineHarness.bytes(p.data())));
                    }
                }
                default -> {}
            }
        }
    }

    private void chunk(ByteBuffer data) {
        ByteBuffer b = data.duplicate();
        while (b.hasRemaining()) {
            int n = Math.min(b.remaining(), 1 + chunking.nextInt(40));
            toClient.add(EngineHarness.copy(b.slice(b.position(), n)));
            b.position(b.position() + n);
        }
    }
}
