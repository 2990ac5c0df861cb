package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidates in descriptions (RFC 8829 §5.2.1, §5.10, RFC 8840 §4.3): added one by one for trickle, all at
 * once with end-of-candidates for a non-trickle peer, removed again (W3C removeIceCandidate). The m= port and
 * c= address follow the default candidate (JSEP §5.2.1: 9 / 0.0.0.0 while there is none). All methods return
 * a new description; a mid that is not there is an IllegalArgumentException.
 */
public final class JsepCandidates {
    private JsepCandidates() {}

    /** Adds a candidate to the m-section with this mid (after its last candidate); a duplicate is ignored. */
    public static SessionDescription withCandidate(SessionDescription sd, String mid, SdpCandidate candidate) {
        int idx = indexOf(sd, mid);
        MediaDescription m = sd.media().get(idx);
        if (m.lines().contains(candidate)) return sd;
        if (m.first(SdpAttribute.EndOfCandidates.class).isPresent()) {
            throw new IllegalStateException("m-section " + mid + " already has a=end-of-candidates (RFC 8840 §4.4)");
        }
        List<SdpLine> lines = new ArrayList<>(m.lines());
        int at = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i) instanceof SdpCandidate) at = i + 1;
        if (at < 0) at = lines.size();
        lines.add(at, candidate);
        return sd.withMedia(idx, withDefaultCandidate(m.withLines(lines)));
    }

    /** Removes every line equal to this candidate; the default candidate is chosen again. */
    public static SessionDescription withoutCandidate(SessionDescription sd, String mid, SdpCandidate candidate) {
        int idx = indexOf(sd, mid);
        MediaDescription m = sd.media().get(idx).without(candidate::equals);
        return sd.withMedia(idx, withDefaultCandidate(m));
    }

    /** Adds {@code a=end-of-candidates} (RFC 8840 §8.2) unless present. */
    public static SessionDescription withEndOfCandidates(SessionDescription sd, String mid) {
        int idx = indexOf(sd, mid);
        MediaDescription m = sd.media().get(idx);
        if (m.first(SdpAttribute.EndOfCandidates.class).isPresent()) return sd;
        return sd.withMedia(idx, m.withLineAppended(new SdpAttribute.EndOfCandidates()));
    }

    /** For a non-trickle peer: all gathered candidates and end-of-candidates at once. */
    public static SessionDescription withAllCandidates(SessionDescription sd, String mid, List<SdpCandidate> candidates) {
        SessionDescription out = sd;
        for (SdpCandidate c : candidates) out = withCandidate(out, mid, c);
        return withEndOfCandidates(out, mid);
    }

    /**
     * Sets m= port and c= to the default candidate: an RTP/data component 1 UDP candidate with an IP address,
     * preferring relay, then server/peer reflexive, then host (JSEP §5.2.1: the one most likely to work), the
     * first of a kind winning. Without one, 9 and IN IP4 0.0.0.0.
     */
    static MediaDescription withDefaultCandidate(MediaDescription m) {
        if (m.mediaLine().port() == 0) return m; // rejected or bundle-only stays 0
        SdpCandidate best = null;
        for (SdpCandidate c : m.candidates()) {
            if (c.component() != 1 || !c.transport().equalsIgnoreCase("udp") || !isIpLiteral(c.address())) continue;
            if (best == null || rank(c) < rank(best)) best = c;
        }
        int port = best == null ? 9 : best.port();
        SdpLine.ConnectionData conn = best == null ? SdpLine.ConnectionData.ip4("0.0.0.0")
                : new SdpLine.ConnectionData("IN", best.address().indexOf(':') >= 0 ? "IP6" : "IP4", best.address());
        List<SdpLine> lines = new ArrayList<>(m.lines());
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i) instanceof SdpLine.ConnectionData) {
                lines.set(i, conn);
                replaced = true;
                break;
            }
        }
        if (!replaced) lines.add(0, conn);
        return new MediaDescription(m.mediaLine().withPort(port), lines);
    }

    private static int rank(SdpCandidate c) {
        return switch (c.candidateType()) {
            case "relay" -> 0;
            case "srflx", "prflx" -> 1;
            case "host" -> 2;
            default -> 3;
        };
    }

    /** IPv4 dotted quad or an IPv6 literal (has ':'); mDNS and other names are not default candidates. */
    static boolean isIpLiteral(String a) {
        if (a.indexOf(':') >= 0) return true;
        String[] p = a.split("\\.", -1);
        if (p.length != 4) return false;
        for (String s : p) {
            if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit) || Integer.parseInt(s) > 255) return false;
        }
        return true;
    }

    private static int indexOf(SessionDescription sd, String mid) {
        for (int i = 0; i < sd.media().size(); i++) {
            if (sd.media().get(i).mid().filter(mid::equals).isPresent()) return i;
        }
        throw new IllegalArgumentException("no m-section with mid " + mid);
    }
}
