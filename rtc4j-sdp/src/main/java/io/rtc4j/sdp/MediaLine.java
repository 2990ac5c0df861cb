package io.rtc4j.sdp;

import java.util.List;

/**
 * {@code m=<media> <port>[/<number of ports>] <proto> <fmt> ...} (RFC 8866 §5.14). Port 0 rejects the section
 * (RFC 3264 §6) unless it is bundle-only (RFC 9143 §6). {@code numberOfPorts} is 0 when absent.
 */
public record MediaLine(String media, int port, int numberOfPorts, String proto, List<String> formats) {
    public MediaLine {
        Tokens.requireToken(media, "media");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("media port out of range: " + port);
        if (numberOfPorts < 0) throw new IllegalArgumentException("negative number of ports");
        Tokens.requireToken(proto, "media proto");
        formats = List.copyOf(formats);
        if (formats.isEmpty()) throw new IllegalArgumentException("m= line needs at least one format");
        for (String f : formats) Tokens.requireToken(f, "media format");
    }

    public MediaLine withPort(int newPort) {
        return new MediaLine(media, newPort, numberOfPorts, proto, formats);
    }

    /** The text after {@code m=}. */
    public String value() {
        StringBuilder sb = new StringBuilder(media).append(' ').append(port);
        if (numberOfPorts > 0) sb.append('/').append(numberOfPorts);
        sb.append(' ').append(proto);
        for (String f : formats) sb.append(' ').append(f);
        return sb.toString();
    }

    static MediaLine parse(String value) {
        List<String> t = Tokens.split(value);
        if (t.size() < 4) throw new IllegalArgumentException("m= needs '<media> <port> <proto> <fmt> ...'");
        String portText = t.get(1);
        int n = 0;
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            n = Tokens.parseInt(portText.substring(slash + 1), 1, 65535, "number of ports");
            portText = portText.substring(0, slash);
        }
        MediaLine m = new MediaLine(t.get(0), Tokens.parseInt(portText, 0, 65535, "media port"), n, t.get(2), t.subList(3, t.size()));
        if (!m.value().equals(value)) throw new IllegalArgumentException("m= line not in canonical form (leading zeros?): " + value);
        return m;
    }
}
