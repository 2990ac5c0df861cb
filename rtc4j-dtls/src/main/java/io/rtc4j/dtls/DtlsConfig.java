package io.rtc4j.dtls;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * Settings of one {@link DtlsEndpoint}, validated once here.
 *
 * @param role client or server, from {@code a=setup} (see {@link DtlsSetup})
 * @param certificate our identity; its fingerprint goes into our SDP
 * @param remoteFingerprints every {@code a=fingerprint} of the remote description; the peer's certificate must
 *     match at least one of those whose hash function we support (RFC 8122 §5), else bad_certificate
 * @param srtpProfiles use_srtp profiles in preference order, empty for data-only associations
 * @param handshakeTimeout the handshake fails with {@link DtlsOutput.DtlsFailed} after this long
 * @param initialRetransmitTimeout first handshake flight resend timer (RFC 6347 §4.2.4.1), doubled per resend
 *     by BouncyCastle up to 60 s
 * @param maxDatagramSize the largest datagram we send (handshake fragments and application records)
 * @param earlyDatagramLimit datagrams kept from before {@link DtlsEndpoint#start}, beyond which they are dropped
 * @param inboundQueueLimit datagrams queued for the handshake thread, beyond which they are dropped
 * @param random randomness for keys, nonces and the handshake
 * @param threadFactory makes the one (virtual) thread that runs BouncyCastle's blocking handshake
 * @param ownRecordLayer once the handshake is done with an AEAD suite (AES-GCM, ChaCha20-Poly1305), protect and
 *     open application data on the driver's thread with the handshake's keys instead of BouncyCastle's record
 *     layer on its hidden thread (the default: no thread hand-off per record); false keeps every record with
 *     BouncyCastle
 */
public record DtlsConfig(
        DtlsRole role,
        DtlsCertificate certificate,
        List<DtlsFingerprint> remoteFingerprints,
        List<SrtpProfile> srtpProfiles,
        Duration handshakeTimeout,
        Duration initialRetransmitTimeout,
        int maxDatagramSize,
        int earlyDatagramLimit,
        int inboundQueueLimit,
        SecureRandom random,
        ThreadFactory threadFactory,
        boolean ownRecordLayer) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Lower than RFC 6347's 1 s: DTLS starts after ICE proved the path, so a lost flight is worth resending
     * sooner. Browsers' stacks (BoringSSL in libwebrtc) also start well below 1 s.
     */
    public static final Duration DEFAULT_INITIAL_RETRANSMIT = Duration.ofMillis(400);
    /** Fits a 1500-byte link with IPv6 and TURN overhead, and leaves room for 1200-byte SCTP packets. */
    public static final int DEFAULT_MAX_DATAGRAM_SIZE = 1400;

    public DtlsConfig {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(certificate, "certificate");
        remoteFingerprints = List.copyOf(remoteFingerprints);
        srtpProfiles = List.copyOf(srtpProfiles);
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(initialRetransmitTimeout, "initialRetransmitTimeout");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(threadFactory, "threadFactory");
        if (remoteFingerprints.stream().noneMatch(f -> DtlsFingerprint.supports(f.hashFunction()))) {
            throw new IllegalArgumentException("at least one remote fingerprint with a supported hash is required");
        }
        if (srtpProfiles.stream().distinct().count() != srtpProfiles.size()) {
            throw new IllegalArgumentException("duplicate SRTP profiles: " + srtpProfiles);
        }
        if (handshakeTimeout.compareTo(Duration.ofMillis(100)) < 0 || handshakeTimeout.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("handshakeTimeout must be 100 ms..1 h: " + handshakeTimeout);
        }
        if (initialRetransmitTimeout.compareTo(Duration.ofMillis(10)) < 0
                || initialRetransmitTimeout.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("initialRetransmitTimeout must be 10 ms..60 s: " + initialRetransmitTimeout);
        }
        if (maxDatagramSize < 256 || maxDatagramSize > 65_507) {
            throw new IllegalArgumentException("maxDatagramSize must be 256..65507: " + maxDatagramSize);
        }
        if (earlyDatagramLimit < 0 || earlyDatagramLimit > 4096) {
            throw new IllegalArgumentException("earlyDatagramLimit must be 0..4096: " + earlyDatagramLimit);
        }
        if (inboundQueueLimit < 1 || inboundQueueLimit > 65_536) {
            throw new IllegalArgumentException("inboundQueueLimit must be 1..65536: " + inboundQueueLimit);
        }
    }

    public static Builder builder(DtlsRole role, DtlsCertificate certificate, List<DtlsFingerprint> remoteFingerprints) {
        return new Builder(role, certificate, remoteFingerprints);
    }

    /** Builder with browser-like defaults: both SRTP profiles (GCM first), 30 s handshake timeout. */
    public static final class Builder {
        private final DtlsRole role;
        private final DtlsCertificate certificate;
        private final List<DtlsFingerprint> remoteFingerprints;
        private List<SrtpProfile> srtpProfiles =
                List.of(SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration initialRetransmitTimeout = DEFAULT_INITIAL_RETRANSMIT;
        private int maxDatagramSize = DEFAULT_MAX_DATAGRAM_SIZE;
        private int earlyDatagramLimit = 64;
        private int inboundQueueLimit = 1024;
        private SecureRandom random;
        private ThreadFactory threadFactory;
        private boolean ownRecordLayer = true;

        private Builder(DtlsRole role, DtlsCertificate certificate, List<DtlsFingerprint> remoteFingerprints) {
            this.role = role;
            this.certificate = certificate;
            this.remoteFingerprints = remoteFingerprints;
        }

        public Builder srtpProfiles(List<SrtpProfile> profiles) {
            this.srtpProfiles = profiles;
            return this;
        }

        public Builder handshakeTimeout(Duration d) {
            this.handshakeTimeout = d;
            return this;
        }

        public Builder initialRetransmitTimeout(Duration d) {
            this.initialRetransmitTimeout = d;
            return this;
        }

        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = bytes;
            return this;
        }

        public Builder earlyDatagramLimit(int datagrams) {
            this.earlyDatagramLimit = datagrams;
            return this;
        }

        public Builder inboundQueueLimit(int datagrams) {
            this.inboundQueueLimit = datagrams;
            return this;
        }

        public Builder random(SecureRandom random) {
            this.random = random;
            return this;
        }

        public Builder threadFactory(ThreadFactory factory) {
            this.threadFactory = factory;
            return this;
        }

        /** See {@link DtlsConfig#ownRecordLayer()}; true by default. */
        public Builder ownRecordLayer(boolean own) {
            this.ownRecordLayer = own;
            return this;
        }

        /** Builds; without an explicit random a new {@link SecureRandom}, without a factory virtual threads. */
        public DtlsConfig build() {
            return new DtlsConfig(
                    role,
                    certificate,
                    remoteFingerprints,
                    srtpProfiles,
                    handshakeTimeout,
                    initialRetransmitTimeout,
                    maxDatagramSize,
                    earlyDatagramLimit,
                    inboundQueueLimit,
                    random != null ? random : new SecureRandom(),
                    threadFactory != null ? threadFactory : Thread.ofVirtual().name("rtc4j-dtls-", 0).factory(),
                    ownRecordLayer);
        }
    }
}
