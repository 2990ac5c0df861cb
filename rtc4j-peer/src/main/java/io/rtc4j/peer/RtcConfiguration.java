package io.rtc4j.peer;

import io.rtc4j.dtls.DtlsCertificate;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * W3C RTCConfiguration for a data-channel peer, immutable and validated once. Build with {@link #builder()}.
 *
 * @param iceServers STUN and TURN servers (see {@link RtcIceServer})
 * @param iceTransportPolicy {@link IceTransportPolicy#RELAY} gathers and checks only relayed candidates
 * @param certificates DTLS certificates; the first is used. Empty: a new ECDSA P-256 one per connection
 * @param bindAddresses rtc4j extension: the host addresses to bind (one UDP socket each); empty: every usable
 *     interface address (loopback when nothing else exists, e.g. in a loopback-only network namespace)
 * @param ipv6 rtc4j extension: also gather IPv6 host addresses when enumerating interfaces
 * @param random rtc4j extension: the secure randomness for credentials, keys and SCTP; null for a new one
 */
public record RtcConfiguration(
        List<RtcIceServer> iceServers,
        IceTransportPolicy iceTransportPolicy,
        List<DtlsCertificate> certificates,
        List<InetAddress> bindAddresses,
        boolean ipv6,
        SecureRandom random) {

    /** W3C RTCIceTransportPolicy. */
    public enum IceTransportPolicy { ALL, RELAY }

    public RtcConfiguration {
        iceServers = List.copyOf(iceServers);
        Objects.requireNonNull(iceTransportPolicy, "iceTransportPolicy");
        certificates = List.copyOf(certificates);
        bindAddresses = List.copyOf(bindAddresses);
        if (iceTransportPolicy == IceTransportPolicy.RELAY && iceServers.stream()
                .flatMap(s -> s.parsedUrls().stream()).noneMatch(u -> u.scheme().turn())) {
            throw new IllegalArgumentException("iceTransportPolicy RELAY needs a turn: or turns: server");
        }
    }

    /** No servers, policy ALL, a generated certificate, every interface. */
    public static RtcConfiguration defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<RtcIceServer> iceServers = new ArrayList<>();
        private IceTransportPolicy policy = IceTransportPolicy.ALL;
        private final List<DtlsCertificate> certificates = new ArrayList<>();
        private final List<InetAddress> bindAddresses = new ArrayList<>();
        private boolean ipv6 = true;
        private SecureRandom random;

        private Builder() {}

        public Builder iceServer(RtcIceServer server) {
            iceServers.add(Objects.requireNonNull(server));
            return this;
        }

        public Builder iceTransportPolicy(IceTransportPolicy p) {
            this.policy = p;
            return this;
        }

        public Builder certificate(DtlsCertificate c) {
            certificates.add(Objects.requireNonNull(c));
            return this;
        }

        /** Bind this host address (call again for more) instead of enumerating interfaces. */
        public Builder bindAddress(InetAddress a) {
            bindAddresses.add(Objects.requireNonNull(a));
            return this;
        }

        public Builder ipv6(boolean v) {
            this.ipv6 = v;
            return this;
        }

        public Builder random(SecureRandom r) {
            this.random = r;
            return this;
        }

        public RtcConfiguration build() {
            return new RtcConfiguration(iceServers, policy, certificates, bindAddresses, ipv6, random);
        }
    }
}
