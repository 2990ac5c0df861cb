package io.rtc4j.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One ICE candidate as signalled (RFC 8445 §5.1, SDP grammar RFC 8839 §5.1, TCP RFC 6544). The connection
 * address is kept as text: browsers send host candidates as mDNS names ({@code <uuid>.local},
 * draft-ietf-mmusic-mdns-ice-candidates) that must be resolved before they can be paired.
 *
 * @param relatedPort -1 when there is no related address
 * @param tcpType required for TCP candidates, null for UDP
 * @param extensions the remaining name/value pairs in order (generation, ufrag, network-id, network-cost ...)
 */
public record IceCandidate(
        String foundation,
        int component,
        IceTransport transport,
        long priority,
        String address,
        int port,
        CandidateType type,
        String relatedAddress,
        int relatedPort,
        TcpType tcpType,
        List<Extension> extensions) {

    /** An extension attribute of the candidate line, e.g. {@code generation 0}. */
    public record Extension(String name, String value) {
        public Extension {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    // RFC 8839 §5.1: foundation = 1*32 ice-char; ice-char = ALPHA / DIGIT / "+" / "/"
    private static final Pattern FOUNDATION = Pattern.compile("[A-Za-z0-9+/]{1,32}");
    private static final Pattern IPV4 =
            Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    public IceCandidate {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(address, "address");
        extensions = List.copyOf(extensions);
        if (foundation == null || !FOUNDATION.matcher(foundation).matches()) {
            throw new IllegalArgumentException("a foundation is 1 to 32 of [A-Za-z0-9+/]: " + foundation);
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component ids are 1..256: " + component);
        }
        if (priority < 1 || priority > 0x7FFFFFFFL) {
            throw new IllegalArgumentException("priorities are 1..2^31-1: " + priority);
        }
        if (address.isEmpty() || address.length() > 255 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("bad connection address " + address + " " + port);
        }
        if ((relatedAddress == null) != (relatedPort < 0) || relatedPort > 65535) {
            throw new IllegalArgumentException("raddr and rport go together");
        }
        if ((transport == IceTransport.TCP) != (tcpType != null)) {
            throw new IllegalArgumentException("TCP candidates, and only they, carry a tcptype (RFC 6544 §4.5)");
        }
    }

    /** A UDP candidate without related address or extensions. */
    public static IceCandidate udp(String foundation, int component, long priority, InetSocketAddress address, CandidateType type) {
        return new IceCandidate(foundation, component, IceTransport.UDP, priority,
                address.getAddress().getHostAddress(), address.getPort(), type, null, -1, null, List.of());
    }

    /** True for an mDNS host name (draft-ietf-mmusic-mdns-ice-candidates §3.1): resolve before pairing. */
    public boolean isMdns() {
        return address.regionMatches(true, address.length() - 6, ".local", 0, 6) && address.length() > 6;
    }

    /**
     * The connection address when it is an IP literal; empty for names (mDNS or otherwise). Never does a DNS
     * lookup: a candidate from the network must not make us query arbitrary names.
     */
    public Optional<InetSocketAddress> socketAddress() {
        return literal(address).map(a -> new InetSocketAddress(a, port));
    }

    /** The related address as a socket address, when present and an IP literal. */
    public Optional<InetSocketAddress> relatedSocketAddress() {
        return relatedAddress == null ? Optional.empty() : literal(relatedAddress).map(a -> new InetSocketAddress(a, relatedPort));
    }

    /** The value of extension {@code name} (first occurrence), if present. */
    public Optional<String> extension(String name) {
        return extensions.stream().filter(e -> e.name().equals(name)).map(Extension::value).findFirst();
    }

    /** Parses an IP literal without any name resolution. */
    static Optional<InetAddress> literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = !v4 && text.indexOf(':') >= 0 && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(text)); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The SDP form, {@code candidate:...} without the {@code a=} (what RTCIceCandidate.candidate holds). */
    public String toSdp() {
        return IceCandidateParser.format(this);
    }
}
