package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Turns {@code name[:value]} into a typed {@link SdpAttribute}. A known attribute with a malformed value is an
 * error (IllegalArgumentException, reported by the parser with its line number); a valid one whose typed form
 * would not write back the same text (leading zeros, odd spacing) stays {@link SdpAttribute.Unknown}, so
 * that every description round-trips byte for byte.
 */
final class SdpAttributeParser {
    private SdpAttributeParser() {}

    static SdpAttribute parse(String name, String value) {
        SdpAttribute typed = typed(name, value);
        if (typed == null || java.util.Objects.equals(typed.attributeValue(), value)) {
            return typed == null ? new SdpAttribute.Unknown(name, value) : typed;
        }
        return new SdpAttribute.Unknown(name, value);
    }

    private static SdpAttribute typed(String name, String v) {
        MediaDirection dir = MediaDirection.fromSdp(name);
        if (dir != null) return flag(new SdpAttribute.Direction(dir), v);
        return switch (name) {
            case "ice-lite" -> flag(new SdpAttribute.IceLite(), v);
            case "end-of-candidates" -> flag(new SdpAttribute.EndOfCandidates(), v);
            case "rtcp-mux" -> flag(new SdpAttribute.RtcpMux(), v);
            case "group" -> {
                List<String> t = Tokens.split(need(name, v));
                yield new SdpAttribute.Group(t.get(0), t.subList(1, t.size()));
            }
            case "mid" -> new SdpAttribute.Mid(need(name, v));
            case "ice-ufrag" -> new SdpAttribute.IceUfrag(need(name, v));
            case "ice-pwd" -> new SdpAttribute.IcePwd(need(name, v));
            case "ice-options" -> new SdpAttribute.IceOptions(Tokens.split(need(name, v)));
            case "fingerprint" -> {
                List<String> t = Tokens.split(need(name, v));
                if (t.size() != 2) throw new IllegalArgumentException("fingerprint needs '<hash-func> <hex>'");
                yield new SdpAttribute.Fingerprint(t.get(0), t.get(1));
            }
            case "setup" -> {
                SetupRole r = SetupRole.fromSdp(need(name, v));
                if (r == null) throw new IllegalArgumentException("setup must be actpass, active, passive or holdconn: " + v);
                yield new SdpAttribute.Setup(r);
            }
            case "sctp-port" -> new SdpAttribute.SctpPort(Tokens.parseInt(need(name, v), 0, 65535, "sctp-port"));
            case "max-message-size" -> new SdpAttribute.MaxMessageSize(Tokens.parseLong(need(name, v), "max-message-size"));
            case "sctpmap" -> {
                List<String> t = Tokens.split(need(name, v));
                if (t.size() < 2 || t.size() > 3) throw new IllegalArgumentException("sctpmap needs '<port> <protocol> [<streams>]'");
                yield new SdpAttribute.SctpMap(Tokens.parseInt(t.get(0), 0, 65535, "sctpmap port"), t.get(1),
                        t.size() == 3 ? OptionalInt.of(Tokens.parseInt(t.get(2), 0, Integer.MAX_VALUE, "sctpmap streams")) : OptionalInt.empty());
            }
            case "candidate" -> SdpCandidate.parseValue(need(name, v));
            case "rtpmap" -> rtpMap(need(name, v));
            case "fmtp" -> {
                String s = need(name, v);
                int sp = s.indexOf(' ');
                if (sp < 0) throw new IllegalArgumentException("fmtp needs '<format> <parameters>'");
                yield new SdpAttribute.Fmtp(s.substring(0, sp), s.substring(sp + 1));
            }
            case "rtcp-fb" -> {
                String[] t = need(name, v).split(" ", 3);
                if (t.length < 2) throw new IllegalArgumentException("rtcp-fb needs '<pt> <type> [<parameters>]'");
                yield new SdpAttribute.RtcpFb(t[0], t[1], t.length == 3 ? t[2] : null);
            }
            case "extmap" -> extMap(need(name, v));
            case "ssrc" -> {
                String s = need(name, v);
                int sp = s.indexOf(' ');
                if (sp < 0) throw new IllegalArgumentException("ssrc needs '<ssrc> <attribute>[:<value>]'");
                long ssrc = Tokens.parseLong(s.substring(0, sp), "ssrc");
                String rest = s.substring(sp + 1);
                int colon = rest.indexOf(':');
                yield colon < 0 ? new SdpAttribute.Ssrc(ssrc, rest, null)
                        : new SdpAttribute.Ssrc(ssrc, rest.substring(0, colon), rest.substring(colon + 1));
            }
            case "ssrc-group" -> {
                List<String> t = Tokens.split(need(name, v));
                List<Long> ssrcs = new ArrayList<>(t.size() - 1);
                for (String x : t.subList(1, t.size())) ssrcs.add(Tokens.parseLong(x, "ssrc"));
                yield new SdpAttribute.SsrcGroup(t.get(0), ssrcs);
            }
            case "msid" -> {
                List<String> t = Tokens.split(need(name, v));
                if (t.size() > 2) throw new IllegalArgumentException("msid needs '<stream id> [<track id>]'");
                yield new SdpAttribute.Msid(t.get(0), t.size() == 2 ? t.get(1) : null);
            }
            case "rid" -> {
                List<String> t = Tokens.split(need(name, v));
                if (t.size() < 2 || t.size() > 3) throw new IllegalArgumentException("rid needs '<id> <send|recv> [<restrictions>]'");
                yield new SdpAttribute.Rid(t.get(0), t.get(1), t.size() == 3 ? t.get(2) : null);
            }
            case "simulcast" -> {
                List<String> t = Tokens.split(need(name, v));
                if (t.size() != 2 && t.size() != 4) throw new IllegalArgumentException("simulcast needs '<dir> <streams> [<dir> <streams>]'");
                yield new SdpAttribute.Simulcast(t.get(0), t.get(1), t.size() == 4 ? t.get(2) : null, t.size() == 4 ? t.get(3) : null);
            }
            default -> null;
        };
    }

    private static SdpAttribute flag(SdpAttribute a, String value) {
        if (value != null) throw new IllegalArgumentException("a=" + a.name() + " takes no value");
        return a;
    }

    private static String need(String name, String value) {
        if (value == null || value.isEmpty()) throw new IllegalArgumentException("a=" + name + " needs a value");
        return value;
    }

    private static SdpAttribute.RtpMap rtpMap(String s) {
        int sp = s.indexOf(' ');
        if (sp < 0) throw new IllegalArgumentException("rtpmap needs '<pt> <encoding>/<clock rate>'");
        int pt = Tokens.parseInt(s.substring(0, sp), 0, 127, "rtpmap payload type");
        String[] enc = s.substring(sp + 1).split("/", 3);
        if (enc.length < 2) throw new IllegalArgumentException("rtpmap needs '<encoding>/<clock rate>'");
        return new SdpAttribute.RtpMap(pt, enc[0], Tokens.parseLong(enc[1], "rtpmap clock rate"), enc.length == 3 ? enc[2] : null);
    }

    private static SdpAttribute.ExtMap extMap(String s) {
        String[] t = s.split(" ", 3);
        if (t.length < 2) throw new IllegalArgumentException("extmap needs '<id>[/<direction>] <uri>'");
        String idPart = t[0];
        MediaDirection dir = null;
        int slash = idPart.indexOf('/');
        if (slash >= 0) {
            dir = MediaDirection.fromSdp(idPart.substring(slash + 1));
            if (dir == null) throw new IllegalArgumentException("extmap direction unknown: " + idPart);
            idPart = idPart.substring(0, slash);
        }
        return new SdpAttribute.ExtMap(Tokens.parseInt(idPart, 1, 4095, "extmap id"), dir, t[1], t.length == 3 ? t[2] : null);
    }
}
