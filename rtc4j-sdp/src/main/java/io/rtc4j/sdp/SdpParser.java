package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * RFC 8866 text to {@link SessionDescription}. Lines end in CRLF or a bare LF (RFC 8866 §5 asks parsers to
 * accept both). Sizes are checked before any line is built; every error is an {@link SdpParseException} with
 * the line number, never another exception. Stateless.
 */
public final class SdpParser {
    private SdpParser() {}

    public static SessionDescription parse(String sdp, SdpLimits limits) throws SdpParseException {
        Objects.requireNonNull(sdp, "sdp");
        Objects.requireNonNull(limits, "limits");
        if (sdp.length() > limits.maxChars()) {
            throw new SdpParseException(0, "description of " + sdp.length() + " chars exceeds the limit of " + limits.maxChars());
        }
        List<String> raw = splitLines(sdp, limits);
        List<SdpLine> session = new ArrayList<>();
        List<MediaDescription> media = new ArrayList<>();
        MediaLine currentMedia = null;
        List<SdpLine> currentLines = null;
        for (int i = 0; i < raw.size(); i++) {
            int lineNo = i + 1;
            String line = raw.get(i);
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                throw new SdpParseException(lineNo, "not a '<letter>=<value>' line");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            try {
                Tokens.requireText(value, "line");
                if (i == 0 && type != 'v') throw new IllegalArgumentException("the first line must be v=");
                if (i == 1 && type != 'o') throw new IllegalArgumentException("the second line must be o=");
                if (i == 2 && type != 's') throw new IllegalArgumentException("the third line must be s=");
                if (i > 2 && (type == 'v' || type == 'o' || type == 's')) {
                    throw new IllegalArgumentException(type + "= may appear only once, at the top");
                }
                if (type == 'm') {
                    if (currentMedia != null) media.add(new MediaDescription(currentMedia, currentLines));
                    if (media.size() >= limits.maxMediaSections()) {
                        throw new IllegalArgumentException("more than " + limits.maxMediaSections() + " media sections");
                    }
                    currentMedia = MediaLine.parse(value);
                    currentLines = new ArrayList<>();
                    continue;
                }
                if (currentMedia != null && type == 't') throw new IllegalArgumentException("t= belongs to the session level");
                SdpLine parsed = parseLine(type, value);
                (currentMedia == null ? session : currentLines).add(parsed);
            } catch (IllegalArgumentException e) {
                throw new SdpParseException(lineNo, e.getMessage());
            }
        }
        if (currentMedia != null) media.add(new MediaDescription(currentMedia, currentLines));
        if (raw.size() < 3) throw new SdpParseException(raw.size() + 1, "a description needs v=, o= and s= lines");
        try {
            return new SessionDescription(session, media);
        } catch (IllegalArgumentException e) {
            throw new SdpParseException(0, e.getMessage());
        }
    }

    private static List<String> splitLines(String sdp, SdpLimits limits) throws SdpParseException {
        List<String> out = new ArrayList<>();
        int start = 0;
        int n = sdp.length();
        while (start < n) {
            int nl = sdp.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            int contentEnd = end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end;
            if (contentEnd - start > limits.maxLineLength()) {
                throw new SdpParseException(out.size() + 1, "line longer than " + limits.maxLineLength() + " chars");
            }
            if (out.size() >= limits.maxLines()) throw new SdpParseException(out.size() + 1, "more than " + limits.maxLines() + " lines");
            out.add(sdp.substring(start, contentEnd));
            start = nl < 0 ? n : nl + 1;
        }
        // Trailing empty lines (some peers end with an extra CRLF) carry nothing; an empty line inside is an error.
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    private static SdpLine parseLine(char type, String value) {
        return switch (type) {
            case 'v' -> {
                if (!value.equals("0")) throw new IllegalArgumentException("v= must be 0");
                yield new SdpLine.Version(0);
            }
            case 'o' -> {
                List<String> t = Tokens.split(value);
                if (t.size() != 6) throw new IllegalArgumentException("o= needs 6 fields separated by single spaces");
                yield new SdpLine.Origin(t.get(0), t.get(1), t.get(2), t.get(3), t.get(4), t.get(5));
            }
            case 's' -> new SdpLine.SessionName(value);
            case 'c' -> {
                List<String> t = Tokens.split(value);
                if (t.size() != 3) throw new IllegalArgumentException("c= needs '<nettype> <addrtype> <address>'");
                yield new SdpLine.ConnectionData(t.get(0), t.get(1), t.get(2));
            }
            case 'b' -> {
                int colon = value.indexOf(':');
                if (colon <= 0) throw new IllegalArgumentException("b= needs '<bwtype>:<bandwidth>'");
                SdpLine.Bandwidth b = new SdpLine.Bandwidth(value.substring(0, colon),
                        Tokens.parseLong(value.substring(colon + 1), "bandwidth"));
                yield b.value().equals(value) ? b : new SdpLine.Other('b', value);
            }
            case 't' -> {
                List<String> t = Tokens.split(value);
                if (t.size() != 2) throw new IllegalArgumentException("t= needs '<start> <stop>'");
                SdpLine.Timing tm = new SdpLine.Timing(Tokens.parseLong(t.get(0), "start time"), Tokens.parseLong(t.get(1), "stop time"));
                yield tm.value().equals(value) ? tm : new SdpLine.Other('t', value);
            }
            case 'a' -> {
                int colon = value.indexOf(':');
                String name = colon < 0 ? value : value.substring(0, colon);
                String v = colon < 0 ? null : value.substring(colon + 1);
                Tokens.requireToken(name, "attribute name");
                yield SdpAttributeParser.parse(name, v);
            }
            default -> new SdpLine.Other(type, value);
        };
    }
}
