package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A parsed session description (RFC 8866): the session-level lines in order (v=, o=, s= first) and the media
 * sections. {@link #toSdp()} writes it back with CRLF line ends; a description parsed from CRLF text comes out
 * byte for byte the same. Immutable.
 */
public record SessionDescription(List<SdpLine> sessionLines, List<MediaDescription> media) {
    public SessionDescription {
        sessionLines = List.copyOf(sessionLines);
        media = List.copyOf(media);
        // RFC 8866 §5: v=, o=, s= come first, in that order; t= is required.
        if (sessionLines.size() < 3 || !(sessionLines.get(0) instanceof SdpLine.Version)
                || !(sessionLines.get(1) instanceof SdpLine.Origin) || !(sessionLines.get(2) instanceof SdpLine.SessionName)) {
            throw new IllegalArgumentException("a session description starts with v=, o=, s=");
        }
        boolean timing = false;
        for (int i = 3; i < sessionLines.size(); i++) {
            SdpLine l = sessionLines.get(i);
            if (l instanceof SdpLine.Version || l instanceof SdpLine.Origin || l instanceof SdpLine.SessionName) {
                throw new IllegalArgumentException("v=, o= and s= appear once, at the top");
            }
            timing |= l instanceof SdpLine.Timing || (l instanceof SdpLine.Other o && o.type() == 't');
        }
        if (!timing) throw new IllegalArgumentException("a session description needs a t= line");
    }

    /** Parses with {@link SdpLimits#DEFAULT}. */
    public static SessionDescription parse(String sdp) throws SdpParseException {
        return SdpParser.parse(sdp, SdpLimits.DEFAULT);
    }

    public SdpLine.Origin origin() {
        return (SdpLine.Origin) sessionLines.get(1);
    }

    public List<SdpAttribute> attributes() {
        return SdpLines.attributes(sessionLines);
    }

    public <T extends SdpLine> List<T> all(Class<T> type) {
        return SdpLines.all(sessionLines, type);
    }

    public <T extends SdpLine> Optional<T> first(Class<T> type) {
        return SdpLines.first(sessionLines, type);
    }

    public Optional<SdpLine.ConnectionData> connection() {
        return first(SdpLine.ConnectionData.class);
    }

    /** The first BUNDLE group (RFC 9143), if any. */
    public Optional<SdpAttribute.Group> bundleGroup() {
        return all(SdpAttribute.Group.class).stream().filter(SdpAttribute.Group::isBundle).findFirst();
    }

    /** The media section with this mid. */
    public Optional<MediaDescription> mediaByMid(String mid) {
        return media.stream().filter(m -> m.mid().filter(mid::equals).isPresent()).findFirst();
    }

    public SessionDescription withSessionLines(List<SdpLine> lines) {
        return new SessionDescription(lines, media);
    }

    public SessionDescription withMedia(List<MediaDescription> newMedia) {
        return new SessionDescription(sessionLines, newMedia);
    }

    public SessionDescription withMedia(int index, MediaDescription m) {
        List<MediaDescription> l = new ArrayList<>(media);
        l.set(index, m);
        return new SessionDescription(sessionLines, l);
    }

    /** The SDP text, CRLF after every line (RFC 8866 §5). */
    public String toSdp() {
        StringBuilder sb = new StringBuilder(1024);
        for (SdpLine l : sessionLines) line(sb, l.type(), l.value());
        for (MediaDescription m : media) {
            line(sb, 'm', m.mediaLine().value());
            for (SdpLine l : m.lines()) line(sb, l.type(), l.value());
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, char type, String value) {
        sb.append(type).append('=').append(value).append("\r\n");
    }

    @Override
    public String toString() {
        return toSdp();
    }
}
