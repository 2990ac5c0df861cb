package io.rtc4j.turn;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Everything an engine is wired with. The policies, metrics and reservations are thread-safe and shared by
 * the engines of several event loops; the relay allocator and the random generator belong to one engine.
 */
public record TurnServerContext(
        TurnServerConfig config,
        TurnAuthenticator authenticator,
        NonceService nonces,
        PeerAddressPolicy peerPolicy,
        QuotaPolicy quotas,
        RelayAllocator relays,
        RandomGenerator random,
        TurnMetrics metrics,
        RelayReservations reservations) {
    public TurnServerContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(nonces, "nonces");
        Objects.requireNonNull(peerPolicy, "peerPolicy");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(relays, "relays");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(reservations, "reservations");
    }

    /** A context with a reservation table of its own (a single-engine server, tests). */
    public TurnServerContext(
            TurnServerConfig config,
            TurnAuthenticator authenticator,
            NonceService nonces,
            PeerAddressPolicy peerPolicy,
            QuotaPolicy quotas,
            RelayAllocator relays,
            RandomGenerator random,
            TurnMetrics metrics) {
        this(config, authenticator, nonces, peerPolicy, quotas, relays, random, metrics, new RelayReservations());
    }
}
