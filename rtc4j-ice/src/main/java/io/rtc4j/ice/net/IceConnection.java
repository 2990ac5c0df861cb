package io.rtc4j.ice.net;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceCredentials;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * One ICE agent running over real UDP sockets ({@link IceUdpDriver}, or one agent of an {@link IceUdpMux}).
 *
 * <p>Thread-safe: every method may be called from any thread. Calls that change the agent are handed to the
 * driver's event-loop thread and take effect there in call order; events come back through the
 * {@link IceDriverListener}, on that thread.
 */
public interface IceConnection extends AutoCloseable {
    IceCredentials localCredentials();

    /** The local candidates gathered so far, in gathering order. */
    List<IceCandidate> localCandidates();

    /** The peer's ice-ufrag and ice-pwd (from its offer or answer); checks start once these and a pair exist. */
    void setRemoteCredentials(IceCredentials remote);

    /**
     * A trickled remote candidate. mDNS names ({@code .local}) must be resolved by the caller first (see
     * {@code io.rtc4j.ice.mdns.MdnsResolver}); the agent pairs only IP literals.
     */
    void addRemoteCandidate(IceCandidate candidate);

    /**
     * The peer signalled end-of-candidates (RFC 8838 §13): the agent may now conclude failure. Deliver it after
     * the peer's candidates, in signaling order: calls take effect in call order.
     */
    void endOfRemoteCandidates();

    /**
     * Sends one application datagram (DTLS, SRTP ...) on the selected pair, directly or through the TURN
     * relay. Direct sends go out on the calling thread; relayed ones are copied and queued to the event loop
     * (bounded). Returns false, counted in {@link IceDriverStats#sendFailures}, when there is no selected
     * pair, consent failed (RFC 7675 §5.1), or a queue or socket buffer is full.
     */
    boolean send(ByteBuffer data);

    IceConnectionState state();

    Optional<CandidatePair> selectedPair();

    IceDriverStats stats();

    /** Stops the agent and releases its sockets (or its place in the mux); idempotent. */
    @Override
    void close();
}
