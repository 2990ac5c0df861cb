package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** One media section (RFC 8866 §5.14): its m= line and the c=, b=, a= (and other) lines under it, in order. */
public record MediaDescription(MediaLine mediaLine, List<SdpLine> lines) {
    public MediaDescription {
        java.util.Objects.requireNonNull(mediaLine, "mediaLine");
        lines = List.copyOf(lines);
        for (SdpLine l : lines) {
            if (l instanceof SdpLine.Version || l instanceof SdpLine.Origin || l instanceof SdpLine.SessionName
                    || l instanceof SdpLine.Timing) {
                throw new IllegalArgumentException("a media section cannot hold " + l.type() + "= lines");
            }
        }
    }

    public List<SdpAttribute> attributes() {
        return SdpLines.attributes(lines);
    }

    public <T extends SdpLine> List<T> all(Class<T> type) {
        return SdpLines.all(lines, type);
    }

    public <T extends SdpLine> Optional<T> first(Class<T> type) {
        return SdpLines.first(lines, type);
    }

    public Optional<String> mid() {
        return first(SdpAttribute.Mid.class).map(SdpAttribute.Mid::id);
    }

    public Optional<SdpLine.ConnectionData> connection() {
        return first(SdpLine.ConnectionData.class);
    }

    public List<SdpCandidate> candidates() {
        return all(SdpCandidate.class);
    }

    /** Port 0 and not bundle-only (RFC 9143 §7.3.3): the section is rejected. */
    public boolean isRejected() {
        return mediaLine.port() == 0 && attributes().stream().noneMatch(a -> a.name().equals("bundle-only"));
    }

    public MediaDescription withMediaLine(MediaLine m) {
        return new MediaDescription(m, lines);
    }

    public MediaDescription withLines(List<SdpLine> newLines) {
        return new MediaDescription(mediaLine, newLines);
    }

    public MediaDescription withLineAppended(SdpLine line) {
        List<SdpLine> l = new ArrayList<>(lines);
        l.add(line);
        return new MediaDescription(mediaLine, l);
    }

    public MediaDescription without(Predicate<? super SdpLine> drop) {
        return new MediaDescription(mediaLine, SdpLines.without(lines, drop));
    }
}
