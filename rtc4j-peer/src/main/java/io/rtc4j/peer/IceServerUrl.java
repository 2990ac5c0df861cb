package io.rtc4j.peer;

import java.util.Locale;
import java.util.Objects;

/**
 * One parsed ICE server URL: {@code stun:} / {@code stuns:} (RFC 7064) or {@code turn:} / {@code turns:} with an
 * optional {@code ?transport=udp|tcp} (RFC 7065). Parsing is strict and never resolves the host name.
 *
 * @param scheme the URI scheme
 * @param host a host name, an IPv4 literal, or an IPv6 literal without brackets
 * @param port the explicit port, or the scheme's default (3478, or 5349 for the secure schemes)
 * @param transport UDP or TCP; {@code turns:} and {@code stuns:} always run over TCP (TLS)
 */
public record IceServerUrl(Scheme scheme, String host, int port, Transport transport) {
    /** Longest URL accepted: bounds the work on hostile configuration text. */
    static final int MAX_LENGTH = 1024;

    public enum Scheme {
        STUN("stun", false), STUNS("stuns", true), TURN("turn", false), TURNS("turns", true);

        private final String text;
        private final boolean secure;

        Scheme(String text, boolean secure) {
            this.text = text;
            this.secure = secure;
        }

        public boolean secure() {
            return secure;
        }

        public boolean turn() {
            return this == TURN || this == TURNS;
        }

        /** RFC 7064 §3.2 / RFC 7065 §3.2: 3478, or 5349 over TLS. */
        public int defaultPort() {
            return secure ? 5349 : 3478;
        }
    }

    public enum Transport { UDP, TCP }

    public IceServerUrl {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad host or port: " + host + " " + port);
        }
        if (scheme.secure() && transport != Transport.TCP) {
            throw new IllegalArgumentException(scheme.text + ": runs over TLS, so over TCP only");
        }
    }

    /**
     * Parses {@code scheme ":" host [ ":" port ] [ "?transport=" ("udp" / "tcp") ]}. The query is allowed for
     * {@code turn}/{@code turns} only (RFC 7065 §3.1); schemes and the transport value are case-insensitive.
     *
     * @throws IllegalArgumentException with the reason, for anything else
     */
    public static IceServerUrl parse(String url) {
        if (url == null || url.isEmpty() || url.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an ICE server URL is 1.." + MAX_LENGTH + " characters");
        }
        int colon = url.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("no scheme in ICE server URL: " + url);
        }
        Scheme scheme = switch (url.substring(0, colon).toLowerCase(Locale.ROOT)) {
            case "stun" -> Scheme.STUN;
            case "stuns" -> Scheme.STUNS;
            case "turn" -> Scheme.TURN;
            case "turns" -> Scheme.TURNS;
            default -> throw new IllegalArgumentException("unknown ICE server scheme (stun, stuns, turn, turns): " + url);
        };
        String rest = url.substring(colon + 1);
        Transport transport = scheme.secure() ? Transport.TCP : Transport.UDP;
        int q = rest.indexOf('?');
        if (q >= 0) {
            if (!scheme.turn()) {
                throw new IllegalArgumentException("RFC 7064: a stun URI has no query: " + url);
            }
            String query = rest.substring(q + 1);
            rest = rest.substring(0, q);
            if (!query.regionMatches(true, 0, "transport=", 0, 10)) {
                throw new IllegalArgumentException("RFC 7065: the only query is transport=udp|tcp: " + url);
            }
            transport = switch (query.substring(10).toLowerCase(Locale.ROOT)) {
                case "udp" -> Transport.UDP;
                case "tcp" -> Transport.TCP;
                default -> throw new IllegalArgumentException("RFC 7065: transport is udp or tcp: " + url);
            };
            if (scheme == Scheme.TURNS && transport == Transport.UDP) {
                throw new IllegalArgumentException("turns: over UDP (DTLS) is not supported: " + url);
            }
        }
        if (rest.startsWith("//") || rest.indexOf('@') >= 0 || rest.indexOf('/') >= 0) {
            throw new IllegalArgumentException("RFC 7064/7065: no authority, userinfo or path: " + url);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal: " + url);
            }
            host = rest.substring(1, close);
            if (host.isEmpty() || !host.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)
                    || host.indexOf(':') < 0) {
                throw new IllegalArgumentException("bad IPv6 literal: " + url);
            }
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (after.charAt(0) != ':') {
                    throw new IllegalArgumentException("junk after IPv6 literal: " + url);
                }
                portText = after.substring(1);
            }
        } else {
            int c = rest.indexOf(':');
            host = c < 0 ? rest : rest.substring(0, c);
            portText = c < 0 ? null : rest.substring(c + 1);
            if (!validRegName(host)) {
                throw new IllegalArgumentException("bad host in ICE server URL: " + url);
            }
        }
        int port = scheme.defaultPort();
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad port in ICE server URL: " + url);
            }
            port = Integer.parseInt(portText);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port out of range in ICE server URL: " + url);
            }
        }
        return new IceServerUrl(scheme, host, port, transport);
    }

    /** Host names and IPv4 literals: letters, digits, '-', '.', 1..253 characters, labels up to 63. */
    private static boolean validRegName(String h) {
        if (h.isEmpty() || h.length() > 253 || h.startsWith(".") || h.contains("..")) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < h.length(); i++) {
            char ch = h.charAt(i);
            if (ch == '.') {
                label = 0;
                continue;
            }
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-';
            if (!ok || ++label > 63) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        String t = scheme.turn() && !scheme.secure() ? "?transport=" + transport.name().toLowerCase(Locale.ROOT) : "";
        return scheme.text + ":" + h + ":" + port + t;
    }
}
