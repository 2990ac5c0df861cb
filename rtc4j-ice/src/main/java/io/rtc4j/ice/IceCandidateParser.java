package io.rtc4j.ice;

import java.util.ArrayList;
import java.util.List;

/** Parses and formats candidate lines (RFC 8839 §5.1, RFC 6544 §4.5). Stateless. */
public final class IceCandidateParser {
    /** Longest line accepted: generous for extensions, small enough to bound work on hostile input. */
    static final int MAX_LENGTH = 1024;

    private IceCandidateParser() {}

    /**
     * Parses {@code candidate:...}, with or without a leading {@code a=}. Tokens are separated by single or
     * repeated spaces; names are case-insensitive where the RFC says so (transport, typ).
     */
    public static IceCandidate parse(String line) throws IceParseException {
        if (line == null || line.length() > MAX_LENGTH) {
            throw new IceParseException("missing or overlong candidate line");
        }
        String s = line.strip();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                // RFC 8839 §5.1: tokens, addresses and extension values are visible ASCII separated by SP; a
                // control character (NUL, tab, CR) inside a token would otherwise vanish in a trim on the way back
                throw new IceParseException("control or non-ASCII character at " + i + " of the candidate line");
            }
        }
        if (s.startsWith("a=")) {
            s = s.substring(2);
        }
        if (!s.regionMatches(true, 0, "candidate:", 0, 10)) {
            throw new IceParseException("not a candidate line");
        }
        String[] t = s.substring(10).trim().split(" +");
        if (t.length < 8 || !t[6].equalsIgnoreCase("typ")) {
            throw new IceParseException("a candidate needs foundation, component, transport, priority, address, port, typ");
        }
        IceTransport transport = switch (t[2].toUpperCase(java.util.Locale.ROOT)) {
            case "UDP" -> IceTransport.UDP;
            case "TCP" -> IceTransport.TCP;
            default -> throw new IceParseException("unsupported transport " + t[2]);
        };
        CandidateType type = CandidateType.ofSdpName(t[7]);
        if (type == null) {
            throw new IceParseException("unknown candidate type " + t[7]);
        }
        String relatedAddress = null;
        int relatedPort = -1;
        TcpType tcpType = null;
        List<IceCandidate.Extension> extensions = new ArrayList<>();
        for (int i = 8; i < t.length; i += 2) {
            if (i + 1 >= t.length) {
                throw new IceParseException("extension " + t[i] + " has no value");
            }
            switch (t[i]) {
                case "raddr" -> relatedAddress = t[i + 1];
                case "rport" -> relatedPort = number(t[i + 1], 65535, "rport");
                case "tcptype" -> {
                    tcpType = TcpType.ofSdpName(t[i + 1]);
                    if (tcpType == null) {
                        throw new IceParseException("unknown tcptype " + t[i + 1]);
                    }
                }
                default -> extensions.add(new IceCandidate.Extension(t[i], t[i + 1]));
            }
        }
        try {
            return new IceCandidate(t[0], (int) number(t[1], 256, "component"), transport,
                    number(t[3], 0x7FFFFFFFL, "priority"), t[4], (int) number(t[5], 65535, "port"), type,
                    relatedAddress, relatedPort, tcpType, extensions);
        } catch (IllegalArgumentException e) {
            throw new IceParseException(e.getMessage());
        }
    }

    private static int number(String text, int max, String what) throws IceParseException {
        return (int) number(text, (long) max, what);
    }

    private static long number(String text, long max, String what) throws IceParseException {
        if (text.isEmpty() || text.length() > 10) {
            throw new IceParseException("bad " + what + ": " + text);
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            int d = Character.digit(text.charAt(i), 10);
            if (d < 0) {
                throw new IceParseException("bad " + what + ": " + text);
            }
            v = v * 10 + d;
        }
        if (v > max) {
            throw new IceParseException(what + " out of range: " + text);
        }
        return v;
    }

    static String format(IceCandidate c) {
        StringBuilder b = new StringBuilder(128).append("candidate:").append(c.foundation())
                .append(' ').append(c.component())
                .append(' ').append(c.transport().sdpName().toLowerCase(java.util.Locale.ROOT))
                .append(' ').append(c.priority())
                .append(' ').append(c.address())
                .append(' ').append(c.port())
                .append(" typ ").append(c.type().sdpName());
        if (c.relatedAddress() != null) {
            b.append(" raddr ").append(c.relatedAddress()).append(" rport ").append(c.relatedPort());
        }
        if (c.tcpType() != null) {
            b.append(" tcptype ").append(c.tcpType().sdpName());
        }
        for (IceCandidate.Extension e : c.extensions()) {
            b.append(' ').append(e.name()).append(' ').append(e.value());
        }
        return b.toString();
    }
}
