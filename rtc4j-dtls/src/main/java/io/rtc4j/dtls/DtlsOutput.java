package io.rtc4j.dtls;

import java.time.Instant;
import java.util.Optional;

/** What a {@link DtlsEndpoint} asks of its driver; drain after every input until {@link Timeout}. */
public sealed interface DtlsOutput {
    /** Send this datagram (one or more DTLS records) to the peer over the ICE transport. */
    record Transmit(byte[] datagram) implements DtlsOutput {}

    /**
     * The handshake completed and the peer's certificate matched a signalled fingerprint.
     *
     * @param srtpProfile the use_srtp profile both sides agreed on, empty if none (data-only)
     * @param keyingMaterial the exported SRTP keys and salts for that profile (RFC 5764 §4.2)
     * @param remoteFingerprint the SHA-256 fingerprint of the peer's certificate
     * @param cipherSuite the negotiated TLS cipher suite code (e.g. 0xC02B)
     */
    record DtlsConnected(
            Optional<SrtpProfile> srtpProfile,
            Optional<SrtpKeyingMaterial> keyingMaterial,
            DtlsFingerprint remoteFingerprint,
            int cipherSuite)
            implements DtlsOutput {}

    /** Application data (e.g. one SCTP packet) decrypted from one DTLS record. */
    record ApplicationDataReceived(byte[] data) implements DtlsOutput {}

    /** The association ended with close_notify, sent by us ({@code byPeer} false) or by the peer. */
    record DtlsClosed(boolean byPeer) implements DtlsOutput {}

    /** The association failed: handshake timeout, a fatal alert sent or received, or a transport error. */
    record DtlsFailed(String reason, Optional<DtlsAlert> alert) implements DtlsOutput {}

    /** Nothing more to do now; call {@link DtlsEndpoint#handleTimeout} at {@code at} (or on a wakeup). */
    record Timeout(Instant at) implements DtlsOutput {}
}
