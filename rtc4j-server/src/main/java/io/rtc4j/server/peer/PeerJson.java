package io.rtc4j.server.peer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The little JSON the peer contract needs (RFC 8259): read one flat object whose values are strings, numbers,
 * booleans or null (nested values are rejected), and write string literals. Bad input is an empty result,
 * never an exception, because {@code POST /offer} bodies come from the network.
 */
final class PeerJson {
    static final int MAX_LENGTH = 1 << 20;

    private final String s;
    private int i;

    private PeerJson(String s) {
        this.s = s;
    }

    /** The members of a flat object, values as Java strings (numbers and booleans as written), or empty. */
    static Optional<Map<String, String>> parseFlatObject(String text) {
        if (text == null || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PeerJson(text).object());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> object() {
        Map<String, String> out = new LinkedHashMap<>();
        ws();
        expect('{');
        ws();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                ws();
                String key = string();
                ws();
                expect(':');
                ws();
                out.put(key, value());
                ws();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected , or }");
                }
            }
        }
        ws();
        if (i != s.length()) {
            throw new IllegalArgumentException("trailing characters");
        }
        return out;
    }

    private String value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        int start = i;
        while (i < s.length() && "+-.0123456789eEtruefalsn".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String v = s.substring(start, i);
        if (v.equals("true") || v.equals("false") || v.equals("null") || v.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
            return v;
        }
        throw new IllegalArgumentException("unsupported value");
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (i + 4 > s.length()) {
                        throw new IllegalArgumentException("short \\u escape");
                    }
                    int cp = 0;
                    for (int k = 0; k < 4; k++) {
                        int d = Character.digit(s.charAt(i++), 16);
                        if (d < 0) {
                            throw new IllegalArgumentException("bad \\u escape");
                        }
                        cp = cp * 16 + d;
                    }
                    b.append((char) cp);
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private void ws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
            i++;
        }
    }

    private char peek() {
        if (i >= s.length()) {
            throw new IllegalArgumentException("unexpected end");
        }
        return s.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    /** A JSON string literal (RFC 8259 §7). */
    static String quote(String v) {
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** {"type":T,"sdp":S}, the W3C RTCSessionDescriptionInit as JSON. */
    static String description(String type, String sdp) {
        return "{\"type\":" + quote(type) + ",\"sdp\":" + quote(sdp) + "}";
    }
}
