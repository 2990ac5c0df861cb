package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code a=candidate:} (RFC 8839 §5.1):
 * {@code <foundation> <component> <transport> <priority> <address> <port> typ <type> [raddr <a>] [rport <p>]
 * *(<extension name> <extension value>)}. The address may be an IP literal or an FQDN such as an mDNS
 * {@code <uuid>.local} name (draft-ietf-mmusic-mdns-ice-candidates); rtc4j-peer turns it into an ICE
 * candidate. Extensions (generation, ufrag, network-id, network-cost, tcptype ...) keep their order.
 */
public record SdpCandidate(String foundation, int component, String transport, long priority, String address,
        int port, String candidateType, String relatedAddress, int relatedPort, List<Extension> extensions)
        implements SdpAttribute {

    /** No {@code rport}. */
    public static final int NO_PORT = -1;

    /** One {@code <extension-att-name> <extension-att-value>} pair. */
    public record Extension(String name, String value) {
        public Extension {
            Tokens.requireToken(name, "candidate extension name");
            Tokens.requireToken(value, "candidate extension value");
        }
    }

    public SdpCandidate {
        // RFC 8839 §5.1: foundation = 1*32ice-char
        if (foundation == null || foundation.isEmpty() || foundation.length() > 32 || !iceChars(foundation)) {
            throw new IllegalArgumentException("candidate foundation must be 1-32 ice-chars: " + foundation);
        }
        if (component < 1 || component > 256) throw new IllegalArgumentException("candidate component out of range: " + component);
        Tokens.requireToken(transport, "candidate transport");
        if (priority < 1 || priority > 0xFFFF_FFFFL) throw new IllegalArgumentException("candidate priority out of range: " + priority);
        Tokens.requireToken(address, "candidate address");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("candidate port out of range: " + port);
        Tokens.requireToken(candidateType, "candidate type");
        if (relatedAddress != null) Tokens.requireToken(relatedAddress, "candidate raddr");
        if (relatedPort != NO_PORT && (relatedPort < 0 || relatedPort > 65535)) {
            throw new IllegalArgumentException("candidate rport out of range: " + relatedPort);
        }
        extensions = List.copyOf(extensions);
        for (Extension e : extensions) {
            if (e.name().equals("raddr") || e.name().equals("rport") || e.name().equals("typ")) {
                throw new IllegalArgumentException("candidate extension named " + e.name());
            }
        }
    }

    /** A candidate without related address or extensions. */
    public static SdpCandidate of(String foundation, int component, String transport, long priority, String address,
            int port, String candidateType) {
        return new SdpCandidate(foundation, component, transport, priority, address, port, candidateType, null,
                NO_PORT, List.of());
    }

    private static boolean iceChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) return false;
        }
        return true;
    }

    /**
     * Parses the text after {@code a=candidate:}, or a W3C {@code RTCIceCandidate.candidate} string with its
     * {@code candidate:} prefix (also an {@code a=candidate:} line).
     */
    public static SdpCandidate parse(String text) throws SdpParseException {
        Objects.requireNonNull(text, "text");
        String s = text;
        if (s.startsWith("a=")) s = s.substring(2);
        if (s.startsWith("candidate:")) s = s.substring("candidate:".length());
        try {
            return parseValue(s);
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(0, e.getMessage());
        }
    }

    /** Parses an attribute value; IllegalArgumentException on bad text. */
    static SdpCandidate parseValue(String value) {
        Tokens.requireText(value, "candidate");
        List<String> t = Tokens.split(value);
        if (t.size() < 8) throw new IllegalArgumentException("candidate needs at least 8 fields, has " + t.size());
        if (!t.get(6).equals("typ")) throw new IllegalArgumentException("candidate field 7 must be 'typ'");
        int i = 8;
        String raddr = null;
        int rport = NO_PORT;
        if (i + 1 < t.size() && t.get(i).equals("raddr")) {
            raddr = t.get(i + 1);
            i += 2;
        }
        if (i + 1 < t.size() && t.get(i).equals("rport")) {
            rport = Tokens.parseInt(t.get(i + 1), 0, 65535, "candidate rport");
            i += 2;
        }
        if ((t.size() - i) % 2 != 0) throw new IllegalArgumentException("candidate extension without a value");
        List<Extension> ext = new ArrayList<>((t.size() - i) / 2);
        for (; i < t.size(); i += 2) ext.add(new Extension(t.get(i), t.get(i + 1)));
        return new SdpCandidate(t.get(0), Tokens.parseInt(t.get(1), 1, 256, "candidate component"), t.get(2),
                Tokens.parseLong(t.get(3), "candidate priority"), t.get(4), Tokens.parseInt(t.get(5), 0, 65535, "candidate port"),
                t.get(7), raddr, rport, ext);
    }

    /** The value of the first extension with this name, or null. */
    public String extension(String name) {
        for (Extension e : extensions) if (e.name().equals(name)) return e.value();
        return null;
    }

    /** Whether the address is an mDNS name (draft-ietf-mmusic-mdns-ice-candidates §3.1). */
    public boolean isMdns() {
        return address.regionMatches(true, address.length() - 6, ".local", 0, 6) && address.length() > 6;
    }

    /** The W3C {@code RTCIceCandidate.candidate} form: {@code candidate:...}. */
    public String toCandidateString() {
        return "candidate:" + attributeValue();
    }

    @Override
    public String name() {
        return "candidate";
    }

    @Override
    public String attributeValue() {
        StringBuilder sb = new StringBuilder(96);
        sb.append(foundation).append(' ').append(component).append(' ').append(transport).append(' ').append(priority)
                .append(' ').append(address).append(' ').append(port).append(" typ ").append(candidateType);
        if (relatedAddress != null) sb.append(" raddr ").append(relatedAddress);
        if (relatedPort != NO_PORT) sb.append(" rport ").append(relatedPort);
        for (Extension e : extensions) sb.append(' ').append(e.name()).append(' ').append(e.value());
        return sb.toString();
    }
}
