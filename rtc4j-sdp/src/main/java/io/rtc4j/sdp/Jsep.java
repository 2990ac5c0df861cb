package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.random.RandomGenerator;

/**
 * JSEP (RFC 8829) offers and answers for the application (data channel) m-section, and what a remote
 * description tells the peer. Stateless; the caller keeps the origin (session id and version) and the
 * {@link JsepSignaling} state.
 */
public final class Jsep {
    /** RFC 8841 §4.1 and the legacy draft-ietf-mmusic-sctp-sdp-05 form. */
    public static final String PROTO_UDP = "UDP/DTLS/SCTP";
    public static final String PROTO_TCP = "TCP/DTLS/SCTP";
    public static final String PROTO_LEGACY = "DTLS/SCTP";
    public static final String FORMAT = "webrtc-datachannel";
    /** RFC 8841 §6.1: without a=max-message-size the peer accepts 64 KiB. */
    public static final long DEFAULT_REMOTE_MAX_MESSAGE_SIZE = 65_536;
    /** Streams announced in a legacy a=sctpmap answer (the 16-bit stream id space, as browsers did). */
    static final int LEGACY_STREAMS = 1024;

    private Jsep() {}

    /** A fresh origin: sess-id random below 2^63 (RFC 8829 §5.2.1), version 1. */
    public static SdpLine.Origin newOrigin(RandomGenerator random) {
        long id = random.nextLong(1, Long.MAX_VALUE);
        return new SdpLine.Origin("-", Long.toString(id), "1", "IN", "IP4", "0.0.0.0");
    }

    /** The same origin with sess-version + 1, for a changed description (RFC 8829 §5.2.2). */
    public static SdpLine.Origin nextVersion(SdpLine.Origin o) {
        String next = new java.math.BigInteger(o.sessionVersion()).add(java.math.BigInteger.ONE).toString();
        return new SdpLine.Origin(o.username(), o.sessionId(), next, o.netType(), o.addrType(), o.address());
    }

    /** An offer with one application m-section, mid "0", bundled, setup actpass (RFC 8842 §5.2). */
    public static SessionDescription createOffer(JsepLocalParameters local, SdpLine.Origin origin) {
        String mid = "0";
        List<SdpLine> session = sessionLines(local, origin, List.of(mid));
        MediaLine m = new MediaLine("application", 9, 0, PROTO_UDP, List.of(FORMAT));
        return new SessionDescription(session, List.of(applicationSection(m, local, SetupRole.ACTPASS, mid, false)));
    }

    /**
     * Answers an offer (RFC 8829 §5.3.1): the first usable application m-section is accepted, in the form it
     * was offered (current or legacy); every other m-section is rejected with port 0 (RFC 3264 §6), keeping
     * its mid; the BUNDLE group lists only the accepted mid (RFC 9143 §7.3).
     */
    public static SessionDescription createAnswer(SessionDescription offer, JsepLocalParameters local, SdpLine.Origin origin)
            throws JsepException {
        JsepRemoteParameters remote = remoteParameters(offer);
        SetupRole role = switch (remote.setup()) {
            case ACTPASS -> local.answerRoleForActpass();
            case ACTIVE -> SetupRole.PASSIVE;
            case PASSIVE -> SetupRole.ACTIVE;
            case HOLDCONN -> throw new JsepException("offer has a=setup:holdconn");
        };
        List<MediaDescription> media = new ArrayList<>();
        for (int i = 0; i < offer.media().size(); i++) {
            MediaDescription om = offer.media().get(i);
            String mid = om.mid().orElse(null);
            if (i != remote.mediaIndex()) {
                List<SdpLine> lines = new ArrayList<>();
                lines.add(SdpLine.ConnectionData.ip4("0.0.0.0"));
                if (mid != null) lines.add(new SdpAttribute.Mid(mid));
                media.add(new MediaDescription(om.mediaLine().withPort(0), lines));
                continue;
            }
            MediaLine ml = remote.legacySctpmap()
                    ? new MediaLine("application", 9, 0, PROTO_LEGACY, List.of(Integer.toString(local.sctpPort())))
                    : new MediaLine("application", 9, 0, om.mediaLine().proto(), List.of(FORMAT));
            media.add(applicationSection(ml, local, role, mid, remote.legacySctpmap()));
        }
        boolean bundled = remote.mid() != null && offer.bundleGroup().map(g -> g.mids().contains(remote.mid())).orElse(false);
        List<SdpLine> session = sessionLines(local, origin, bundled ? List.of(remote.mid()) : null);
        return new SessionDescription(session, media);
    }

    private static List<SdpLine> sessionLines(JsepLocalParameters local, SdpLine.Origin origin, List<String> bundle) {
        List<SdpLine> s = new ArrayList<>();
        s.add(new SdpLine.Version(0));
        s.add(origin);
        s.add(new SdpLine.SessionName("-"));
        s.add(new SdpLine.Timing(0, 0));
        if (local.iceLite()) s.add(new SdpAttribute.IceLite()); // RFC 8839 §5.3: session level only
        if (bundle != null) s.add(SdpAttribute.Group.bundle(bundle));
        return s;
    }

    private static MediaDescription applicationSection(MediaLine m, JsepLocalParameters local, SetupRole role, String mid,
            boolean legacy) {
        List<SdpLine> l = new ArrayList<>();
        l.add(SdpLine.ConnectionData.ip4("0.0.0.0")); // RFC 8829 §5.2.1: 9 / 0.0.0.0 until a default candidate exists
        l.add(new SdpAttribute.IceUfrag(local.ice().ufrag()));
        l.add(new SdpAttribute.IcePwd(local.ice().pwd()));
        if (local.trickle()) l.add(new SdpAttribute.IceOptions(List.of("trickle")));
        l.addAll(local.fingerprints());
        l.add(new SdpAttribute.Setup(role));
        if (mid != null) l.add(new SdpAttribute.Mid(mid));
        if (legacy) {
            l.add(new SdpAttribute.SctpMap(local.sctpPort(), FORMAT, OptionalInt.of(LEGACY_STREAMS)));
        } else {
            l.add(new SdpAttribute.SctpPort(local.sctpPort()));
        }
        l.add(new SdpAttribute.MaxMessageSize(local.maxMessageSize()));
        return new MediaDescription(m, l);
    }

    /** Whether an m-section is a data-channel section we can use (RFC 8841 §4.1, legacy draft-05). */
    static boolean isUsableApplication(MediaDescription m) {
        MediaLine ml = m.mediaLine();
        if (!ml.media().equals("application") || m.isRejected()) return false;
        return switch (ml.proto()) {
            case PROTO_UDP, PROTO_TCP -> ml.formats().contains(FORMAT);
            case PROTO_LEGACY -> ml.formats().size() == 1 && ml.formats().get(0).chars().allMatch(Character::isDigit)
                    && ml.formats().get(0).length() <= 5;
            default -> false;
        };
    }

    /** Extracts the data-channel transport parameters from a remote offer or answer (RFC 8829 §5.8). */
    public static JsepRemoteParameters remoteParameters(SessionDescription sd) throws JsepException {
        int index = -1;
        for (int i = 0; i < sd.media().size() && index < 0; i++) if (isUsableApplication(sd.media().get(i))) index = i;
        if (index < 0) throw new JsepException("no usable application m-section (UDP/DTLS/SCTP webrtc-datachannel or DTLS/SCTP)");
        MediaDescription app = sd.media().get(index);
        String mid = app.mid().orElse(null);
        // RFC 9143 §7: transport attributes of a bundled section live in the BUNDLE-tag (first mid) section.
        MediaDescription transport = app;
        Optional<SdpAttribute.Group> group = sd.all(SdpAttribute.Group.class).stream()
                .filter(g -> g.isBundle() && mid != null && g.mids().contains(mid)).findFirst();
        if (group.isPresent() && !group.get().mids().isEmpty()) {
            Optional<MediaDescription> tag = sd.mediaByMid(group.get().mids().get(0));
            if (tag.isPresent() && !tag.get().isRejected()) transport = tag.get();
        }
        String ufrag = pick(transport, sd, SdpAttribute.IceUfrag.class).map(SdpAttribute.IceUfrag::ufrag)
                .orElseThrow(() -> new JsepException("no a=ice-ufrag"));
        String pwd = pick(transport, sd, SdpAttribute.IcePwd.class).map(SdpAttribute.IcePwd::pwd)
                .orElseThrow(() -> new JsepException("no a=ice-pwd"));
        IceCredentials ice;
        try {
            ice = new IceCredentials(ufrag, pwd);
        } catch (IllegalArgumentException e) {
            throw new JsepException(e.getMessage());
        }
        List<SdpAttribute.Fingerprint> fps = transport.all(SdpAttribute.Fingerprint.class);
        if (fps.isEmpty()) fps = sd.all(SdpAttribute.Fingerprint.class);
        if (fps.isEmpty()) throw new JsepException("no a=fingerprint (RFC 8827 §6.5)");
        if (fps.stream().allMatch(f -> f.jcaAlgorithm() == null)) throw new JsepException("no fingerprint with a known hash function");
        SetupRole setup = pick(transport, sd, SdpAttribute.Setup.class).map(SdpAttribute.Setup::role).orElse(SetupRole.ACTIVE);
        boolean trickle = pick(transport, sd, SdpAttribute.IceOptions.class).map(o -> o.has("trickle")).orElse(false);
        // RFC 8839 §5.3 puts ice-lite at session level; some peers repeat it per m-section.
        boolean lite = pick(transport, sd, SdpAttribute.IceLite.class).isPresent();
        boolean legacy = app.mediaLine().proto().equals(PROTO_LEGACY);
        int sctpPort;
        if (legacy) {
            sctpPort = Integer.parseInt(app.mediaLine().formats().get(0));
            if (sctpPort > 65535) throw new JsepException("DTLS/SCTP port out of range");
            Optional<SdpAttribute.SctpMap> map = app.first(SdpAttribute.SctpMap.class);
            if (map.isPresent() && map.get().port() != sctpPort) throw new JsepException("a=sctpmap port differs from the m= line");
        } else {
            sctpPort = app.first(SdpAttribute.SctpPort.class).map(SdpAttribute.SctpPort::port).orElse(5000); // RFC 8841 §5.2
        }
        long maxMessageSize = app.first(SdpAttribute.MaxMessageSize.class).map(SdpAttribute.MaxMessageSize::size)
                .orElse(DEFAULT_REMOTE_MAX_MESSAGE_SIZE);
        boolean eoc = transport.first(SdpAttribute.EndOfCandidates.class).isPresent()
                || sd.first(SdpAttribute.EndOfCandidates.class).isPresent();
        return new JsepRemoteParameters(mid, index, ice, lite, trickle, fps, setup, sctpPort, maxMessageSize, legacy,
                transport.candidates(), eoc);
    }

    /** Media level first, then session level (RFC 8839 §5.4, RFC 4145). */
    private static <T extends SdpAttribute> Optional<T> pick(MediaDescription m, SessionDescription sd, Class<T> type) {
        Optional<T> v = m.first(type);
        return v.isPresent() ? v : sd.first(type);
    }
}
