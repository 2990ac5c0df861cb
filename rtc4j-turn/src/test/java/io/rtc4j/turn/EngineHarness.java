package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.StunCodec;
import io.rtc4j.testkit.SimClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Drives a {@link TurnServerEngine} the way a driver does, on a {@link SimClock}: after every input it drains
 * {@code pollOutput()} until {@code Timeout}, copying buffers at once (they are only valid until the next
 * call), remembers the deadline, and {@link #advance} calls {@code handleTimeout} at each deadline on the
 * way. It checks on every drain that nothing the engine emits exceeds what its transport can carry.
 */
final class EngineHarness {
    static final String REALM = "rtc4j.test";
    static final String USER = "alice";
    static final String PASSWORD = "alice-secret";
    static final byte[] SHARED_SECRET = "rest-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final InetSocketAddress SERVER_V4 = sock("192.0.2.1", 3478);
    static final InetSocketAddress SERVER_V6 = sock("2001:db8::1", 3478);
    static final InetAddress RELAY_V4 = ip("192.0.2.100");
    static final InetAddress RELAY_V6 = ip("2001:db8::100");
    /** The largest UDP payload over IPv4 (65535 - 20 - 8): nothing sent over UDP may exceed it. */
    static final int MAX_UDP_PAYLOAD = 65507;

    final SimClock clock = new SimClock();
    final TurnMetrics metrics = new TurnMetrics();
    /** The test's randomness (client transaction ids); the engine has its own. */
    final SplittableRandom random;
    final FakeRelayAllocator relays;
    final QuotaPolicy quotas;
    final NonceService nonces;
    final TurnServerConfig config;
    final TurnServerContext context;
    final TurnServerEngine engine;
    /** Every output so far (buffers copied), Timeouts excluded. */
    final List<TurnOutput> log = new ArrayList<>();

    private Instant deadline = Instant.MAX;

    private EngineHarness(Builder b) {
        this.random = new SplittableRandom(b.seed);
        this.relays = b.relays;
        this.quotas = b.quotas;
        this.nonces = new NonceService(new byte[32], b.nonceLifetime);
        this.config = b.config.apply(TurnServerConfig.defaults(REALM));
        this.context = new TurnServerContext(config, b.authenticator, nonces, b.peerPolicy, quotas, relays,
                b.engineRandom != null ? b.engineRandom : new SplittableRandom(b.seed + 1), metrics, b.reservations);
        this.engine = new TurnServerEngine(context);
    }

    static Builder builder() {
        return new Builder();
    }

    static EngineHarness create() {
        return builder().build();
    }

    static final class Builder {
        long seed = 42;
        RelayReservations reservations = new RelayReservations();
        java.util.random.RandomGenerator engineRandom;
        FakeRelayAllocator relays = new FakeRelayAllocator(RELAY_V4, 49152, 49251, RELAY_V6, 49152, 49251);
        QuotaPolicy quotas = QuotaPolicy.unlimited();
        Duration nonceLifetime = NonceService.DEFAULT_LIFETIME;
        UnaryOperator<TurnServerConfig> config = c -> c;
        // documentation ranges stand in for public peers; everything else special stays denied
        PeerAddressPolicy peerPolicy = DefaultPeerAddressPolicy.builder()
                .allow("198.51.100.0/24")
                .allow("203.0.113.0/24")
                .allow("2001:db8:beef::/48")
                .build();
        TurnAuthenticator authenticator = CompositeAuthenticator.of(
                new StaticUserAuthenticator(Map.of(USER, PASSWORD, "bob", "bob-secret", "carol", "carol-secret")),
                new SharedSecretAuthenticator(List.of(SHARED_SECRET)));

        Builder relays(FakeRelayAllocator r) {
            this.relays = r;
            return this;
        }

        Builder quotas(QuotaPolicy q) {
            this.quotas = q;
            return this;
        }

        Builder config(UnaryOperator<TurnServerConfig> c) {
            this.config = c;
            return this;
        }

        Builder peerPolicy(PeerAddressPolicy p) {
            this.peerPolicy = p;
            return this;
        }

        Builder nonceLifetime(Duration d) {
            this.nonceLifetime = d;
            return this;
        }

        Builder authenticator(TurnAuthenticator a) {
            this.authenticator = a;
            return this;
        }

        /** The engine's randomness (tokens, Data indication ids); the test's own stays seeded apart. */
        Builder engineRandom(java.util.random.RandomGenerator r) {
            this.engineRandom = r;
            return this;
        }

        /** Share one reservation table between engines, as the event loops of one server do. */
        Builder reservations(RelayReservations r) {
            this.reservations = r;
            return this;
        }

        Builder seed(long s) {
            this.seed = s;
            return this;
        }

        EngineHarness build() {
            return new EngineHarness(this);
        }
    }

    Instant now() {
        return clock.now();
    }

    /** The deadline the engine last returned. */
    Instant deadline() {
        return deadline;
    }

    List<TurnOutput> fromClient(FiveTuple from, byte[] bytes) {
        return fromClient(from, ByteBuffer.wrap(bytes.clone()));
    }

    List<TurnOutput> fromClient(FiveTuple from, ByteBuffer in) {
        engine.handleClientInput(clock.now(), from, in);
        return drain();
    }

    List<TurnOutput> fromPeer(RelayEndpoint relay, InetSocketAddress peer, byte[] payload) {
        return fromPeer(relay, peer, ByteBuffer.wrap(payload.clone()));
    }

    List<TurnOutput> fromPeer(RelayEndpoint relay, InetSocketAddress peer, ByteBuffer in) {
        engine.handlePeerInput(clock.now(), relay, peer, in);
        return drain();
    }

    List<TurnOutput> close() {
        engine.close(clock.now());
        return drain();
    }

    /** Polls until Timeout, copying buffers; checks sizes; returns the outputs without the Timeout. */
    List<TurnOutput> drain() {
        List<TurnOutput> out = new ArrayList<>();
        for (int i = 0; ; i++) {
            assertThat(i).as("pollOutput never returned Timeout").isLessThan(1_000_000);
            TurnOutput o = engine.pollOutput();
            switch (o) {
                case TurnOutput.Timeout t -> {
                    deadline = t.at();
                    log.addAll(out);
                    return out;
                }
                case TurnOutput.ToClient c -> {
                    int n = c.data().remaining();
                    assertThat(n).as("message to client too large").isLessThanOrEqualTo(StunCodec.MAX_MESSAGE_LENGTH);
                    if (!c.tuple().transport().isStream()) {
                        assertThat(n).as("datagram to client too large").isLessThanOrEqualTo(MAX_UDP_PAYLOAD);
                    }
                    out.add(new TurnOutput.ToClient(c.tuple(), copy(c.data())));
                }
                case TurnOutput.ToPeer p -> {
                    assertThat(p.data().remaining()).as("datagram to peer too large").isLessThanOrEqualTo(MAX_UDP_PAYLOAD);
                    out.add(new TurnOutput.ToPeer(p.relay(), p.peer(), copy(p.data())));
                }
                default -> out.add(o);
            }
        }
    }

    /**
     * Moves the virtual clock forward by {@code d}, calling {@code handleTimeout} at every deadline the engine
     * returns on the way (as a driver's timer would). Returns everything emitted.
     */
    List<TurnOutput> advance(Duration d) {
        return advanceTo(clock.now().plus(d));
    }

    List<TurnOutput> advanceTo(Instant target) {
        List<TurnOutput> out = new ArrayList<>();
        while (!deadline.isAfter(target)) {
            Instant at = deadline;
            clock.advanceTo(at);
            engine.handleTimeout(clock.now());
            out.addAll(drain());
            assertThat(deadline).as("the engine must not ask for the same deadline again").isAfter(at);
        }
        clock.advanceTo(target);
        return out;
    }

    /** Cross-checks the engine's counts with the allocator, the quotas and the metrics. */
    void assertConsistent() {
        int allocations = engine.allocationCount();
        assertThat(relays.badCloses).as("relays closed twice or never opened").isZero();
        assertThat(metrics.allocationsActive()).as("metrics vs engine").isEqualTo(allocations);
        assertThat(quotas.total()).as("quota vs engine").isEqualTo(allocations);
        int relaysInUse = engine.allocations().stream()
                .mapToInt(a -> (a.relay4 != null ? 1 : 0) + (a.relay6 != null ? 1 : 0))
                .sum();
        assertThat(engine.relayIndexSize()).as("relay index").isEqualTo(relaysInUse);
        assertThat(relays.openCount()).as("open relays vs allocations + reservations")
                .isEqualTo(relaysInUse + engine.reservationCount());
    }

    /** Nothing left at all: no allocation, reservation, relay, quota or queued deadline. */
    void assertEmpty() {
        assertConsistent();
        assertThat(engine.allocationCount()).isZero();
        assertThat(engine.relayIndexSize()).isZero();
        assertThat(engine.reservationCount()).isZero();
        assertThat(relays.openCount()).isZero();
        assertThat(quotas.total()).isZero();
        assertThat(engine.deadlineQueueSize()).isZero();
        assertThat(engine.pollOutput()).isEqualTo(new TurnOutput.Timeout(Instant.MAX));
    }

    // ---- helpers ----

    static FiveTuple udp(String ip, int port) {
        InetSocketAddress client = sock(ip, port);
        return new FiveTuple(TransportProtocol.UDP, client, client.getAddress() instanceof java.net.Inet4Address ? SERVER_V4 : SERVER_V6);
    }

    static FiveTuple tcp(String ip, int port) {
        InetSocketAddress client = sock(ip, port);
        return new FiveTuple(TransportProtocol.TCP, client, client.getAddress() instanceof java.net.Inet4Address ? SERVER_V4 : SERVER_V6);
    }

    static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: never resolves
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    static <T extends TurnOutput> List<T> only(List<TurnOutput> outputs, Class<T> kind) {
        return outputs.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
