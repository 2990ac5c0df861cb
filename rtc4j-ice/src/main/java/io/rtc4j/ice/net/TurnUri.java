package io.rtc4j.ice.net;

import io.rtc4j.turn.TransportProtocol;
import java.util.Locale;
import java.util.Objects;

/**
 * A TURN server URI (RFC 7065 §3.1): {@code turn:host[:port][?transport=udp|tcp]} or
 * {@code turns:host[:port][?transport=tcp]}, as RTCIceServer.urls carries them. {@code turns} means TLS over
 * TCP; {@code turns} with {@code transport=udp} (DTLS) is not supported and rejected.
 *
 * @param host a host name or an IP literal (IPv6 without brackets)
 * @param port the port, 3478 for turn and 5349 for turns when the URI names none (RFC 7065 §3)
 * @param transport how the client reaches the server
 */
public record TurnUri(String host, int port, TransportProtocol transport) {
    public static final int DEFAULT_PORT = 3478;
    public static final int DEFAULT_TLS_PORT = 5349;

    public TurnUri {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        if (host.isEmpty()) {
            throw new IllegalArgumentException("empty host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
    }

    /** Parses a turn: or turns: URI; IllegalArgumentException names what is wrong. */
    public static TurnUri parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        int colon = uri.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not a TURN URI: " + uri);
        }
        String scheme = uri.substring(0, colon).toLowerCase(Locale.ROOT);
        boolean secure = switch (scheme) {
            case "turn" -> false;
            case "turns" -> true;
            default -> throw new IllegalArgumentException("scheme must be turn or turns: " + uri);
        };
        String rest = uri.substring(colon + 1);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        if (rest.startsWith("//") || rest.contains("@") || rest.contains("/")) {
            throw new IllegalArgumentException("RFC 7065 TURN URIs have no authority, user or path: " + uri);
        }
        String host;
        String portText = null;
        if (rest.startsWith("[")) { // IP-literal (RFC 3986 §3.2.2)
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal: " + uri);
            }
            host = rest.substring(1, close);
            String after = rest.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw new IllegalArgumentException("junk after the IPv6 literal: " + uri);
                }
                portText = after.substring(1);
            }
        } else {
            int c = rest.lastIndexOf(':');
            host = c < 0 ? rest : rest.substring(0, c);
            portText = c < 0 ? null : rest.substring(c + 1);
            if (host.contains(":")) {
                throw new IllegalArgumentException("IPv6 literals need brackets: " + uri);
            }
        }
        int port = secure ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        if (portText != null) {
            if (portText.isEmpty() || portText.length() > 5 || !portText.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new IllegalArgumentException("bad port: " + uri);
            }
            port = Integer.parseInt(portText);
        }
        TransportProtocol transport = secure ? TransportProtocol.TLS : TransportProtocol.UDP;
        if (query != null) {
            if (!query.toLowerCase(Locale.ROOT).startsWith("transport=")) {
                throw new IllegalArgumentException("the only query is transport=: " + uri);
            }
            String t = query.substring("transport=".length()).toLowerCase(Locale.ROOT);
            switch (t) {
                case "tcp" -> transport = secure ? TransportProtocol.TLS : TransportProtocol.TCP;
                case "udp" -> {
                    if (secure) {
                        throw new IllegalArgumentException("turns over UDP (DTLS) is not supported: " + uri);
                    }
                }
                default -> throw new IllegalArgumentException("unknown transport: " + uri);
            }
        }
        return new TurnUri(host, port, transport);
    }

    /** The URI in its RFC 7065 form. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return switch (transport) {
            case UDP -> "turn:" + h + ":" + port + "?transport=udp";
            case TCP -> "turn:" + h + ":" + port + "?transport=tcp";
            case TLS -> "turns:" + h + ":" + port + "?transport=tcp";
        };
    }
}
