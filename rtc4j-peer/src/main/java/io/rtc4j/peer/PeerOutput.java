package io.rtc4j.peer;

import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import java.time.Instant;
import java.util.Objects;

/**
 * What {@link PeerCore#pollOutput()} asks of its driver: datagrams for the ICE transport, commands for the ICE
 * agent (which lives in the driver's UDP event loop), mDNS look-ups, events for the application, and the next
 * deadline. Drain after every input until {@link Timeout}.
 */
sealed interface PeerOutput permits PeerOutput.Transmit, PeerOutput.StartIce, PeerOutput.RestartIce, PeerOutput.RemoteIceCredentials,
        PeerOutput.RemoteCandidate, PeerOutput.EndOfRemoteCandidates, PeerOutput.ResolveMdns, PeerOutput.Timeout,
        PeerEvent {

    /** One DTLS datagram to send on the selected candidate pair. */
    record Transmit(byte[] datagram) implements PeerOutput {
        public Transmit {
            Objects.requireNonNull(datagram, "datagram");
        }
    }

    /** Start the ICE agent and gathering (W3C: at setLocalDescription) with these credentials and role. */
    record StartIce(IceRole role, IceCredentials credentials) implements PeerOutput {}

    /**
     * Restart the agent (RFC 8445 §9) with new local credentials and, when already known (the peer's restart, or
     * going back after a rollback), the remote ones; the remote candidates follow as {@link RemoteCandidate}.
     */
    record RestartIce(IceCredentials local, IceCredentials remote) implements PeerOutput {}

    record RemoteIceCredentials(IceCredentials credentials) implements PeerOutput {}

    /** A remote candidate with an IP literal, ready for pairing. */
    record RemoteCandidate(IceCandidate candidate) implements PeerOutput {}

    /** RFC 8838 §13: the peer has no more candidates. */
    record EndOfRemoteCandidates() implements PeerOutput {}

    /** Resolve an mDNS host name (draft-ietf-mmusic-mdns-ice-candidates); answer with {@link PeerCore#mdnsResolved}. */
    record ResolveMdns(String name) implements PeerOutput {}

    /** Call {@link PeerCore#handleTimeout} at {@code at} ({@link Instant#MAX}: no timer). */
    record Timeout(Instant at) implements PeerOutput {}
}
