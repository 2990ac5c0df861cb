package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Typed look-ups over a list of lines, shared by the session and media levels. */
final class SdpLines {
    private SdpLines() {}

    static List<SdpAttribute> attributes(List<SdpLine> lines) {
        List<SdpAttribute> out = new ArrayList<>();
        for (SdpLine l : lines) if (l instanceof SdpAttribute a) out.add(a);
        return List.copyOf(out);
    }

    static <T extends SdpLine> List<T> all(List<SdpLine> lines, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (SdpLine l : lines) if (type.isInstance(l)) out.add(type.cast(l));
        return List.copyOf(out);
    }

    static <T extends SdpLine> Optional<T> first(List<SdpLine> lines, Class<T> type) {
        for (SdpLine l : lines) if (type.isInstance(l)) return Optional.of(type.cast(l));
        return Optional.empty();
    }

    static List<SdpLine> without(List<SdpLine> lines, Predicate<? super SdpLine> drop) {
        List<SdpLine> out = new ArrayList<>(lines.size());
        for (SdpLine l : lines) if (!drop.test(l)) out.add(l);
        return out;
    }
}
