package io.rtc4j.turn;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Everything an engine is wired with. The policies and metrics are thread-safe and may be shared by the
 * engines of several event loops; the relay allocator and the random generator belong to one engine.
 */
public record TurnServerContext(
        TurnServerConfig config,
        TurnAuthenticator authenticator,
        NonceService nonces,
        PeerAddressPolicy peerPolicy,
        QuotaPolicy quotas,
        RelayAllocator relays,
        RandomGenerator random,
        TurnMetrics metrics) {
    public TurnServerContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(nonces, "nonces");
        Objects.requireNonNull(peerPolicy, "peerPolicy");
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(relays, "relays");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(metrics, "metrics");
    }
}
