package io.rtc4j.peer;

import io.rtc4j.dtls.DtlsFingerprint;
import io.rtc4j.ice.CandidateType;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceCandidateParser;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceParseException;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.IceTransport;
import io.rtc4j.ice.mdns.MdnsResolver;
import io.rtc4j.sdp.Jsep;
import io.rtc4j.sdp.JsepCandidates;
import io.rtc4j.sdp.JsepException;
import io.rtc4j.sdp.JsepLocalParameters;
import io.rtc4j.sdp.JsepRemoteParameters;
import io.rtc4j.sdp.JsepSignaling;
import io.rtc4j.sdp.MediaDescription;
import io.rtc4j.sdp.SdpAttribute;
import io.rtc4j.sdp.SdpCandidate;
import io.rtc4j.sdp.SdpLine;
import io.rtc4j.sdp.SdpParseException;
import io.rtc4j.sdp.SdpType;
import io.rtc4j.sdp.SessionDescription;
import io.rtc4j.sdp.SetupRole;
import io.rtc4j.sdp.SignalingState;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The JSEP half of {@link PeerCore} (RFC 8829): offers and answers, the signaling state machine with rollback,
 * local candidates for trickle and for the full description, remote candidates (mDNS names resolved first),
 * and the ICE commands that follow: start the agent at setLocalDescription (W3C §4.4.1.5), hand it the
 * remote credentials once both sides are known. Remote descriptions are checked completely before the state
 * changes, so a bad one leaves everything as it was. Not thread-safe.
 */
final class PeerSignaling {
    /** Called when both descriptions are applied: set up DTLS and SCTP. */
    interface TransportReady {
        void ready(Instant now, JsepRemoteParameters remote, SetupRole localSetup);
    }

    /** Remote candidates kept before the agent exists; mDNS names waiting for an address. */
    static final int MAX_REMOTE_CANDIDATES = 256;

    private final RandomGenerator random;
    private final Consumer<PeerOutput> out;
    private final TransportReady transport;
    private final JsepSignaling jsep = new JsepSignaling();
    private final SdpAttribute.Fingerprint fingerprint;
    /** The current ICE generation's local credentials, and the parameters our descriptions carry. */
    private IceCredentials iceLocal;
    private JsepLocalParameters local;
    private final PeerIceRestart restart = new PeerIceRestart();
    private SdpLine.Origin origin;
    private SdpType currentLocalType = SdpType.OFFER, currentRemoteType = SdpType.OFFER;

    private boolean iceStarted;
    private String localMid = "0";
    private final List<SdpCandidate> localCandidates = new ArrayList<>();
    /** ICE generation of our credentials (0, then one more per restart), with the ufrag, on every candidate we give. */
    private int generation, generationBeforeRestart;
    private RtcIceGatheringState gathering = RtcIceGatheringState.NEW;

    private JsepRemoteParameters remote;
    private boolean remoteApplied, transportBuilt, remoteEndOfCandidates, endOfCandidatesSent;
    private final List<IceCandidate> queued = new ArrayList<>();
    private final Map<String, List<IceCandidate>> mdnsWaiting = new LinkedHashMap<>();
    private long candidatesDropped, mdnsResolved;

    PeerSignaling(RandomGenerator random, DtlsFingerprint fingerprint, Consumer<PeerOutput> out, TransportReady transport) {
        this.random = random;
        this.out = out;
        this.transport = transport;
        String fp = fingerprint.toAttributeValue();
        int sp = fp.indexOf(' ');
        this.fingerprint = new SdpAttribute.Fingerprint(fp.substring(0, sp), fp.substring(sp + 1));
        this.iceLocal = IceCredentials.random(random);
        this.local = parameters(iceLocal);
    }

    private JsepLocalParameters parameters(IceCredentials ice) {
        return ice.equals(iceLocal) && local != null ? local
                : JsepLocalParameters.of(new io.rtc4j.sdp.IceCredentials(ice.ufrag(), ice.pwd()), fingerprint);
    }

    private static IceCredentials credentials(io.rtc4j.sdp.IceCredentials sdp) {
        return new IceCredentials(sdp.ufrag(), sdp.pwd());
    }

    /** The ice-ufrag of the current local description. */
    String localUsernameFragment() {
        return iceLocal.ufrag();
    }

    /** W3C restartIce(): the next offer carries new ICE credentials (RFC 8839 §4.4.1.1.1). */
    void restartIce() {
        restart.requested(iceStarted);
    }

    SignalingState state() {
        return jsep.state();
    }

    RtcIceGatheringState gatheringState() {
        return gathering;
    }

    // ---- offer / answer ---------------------------------------------------------------------------------------

    String createOffer() {
        if (jsep.state() != SignalingState.STABLE && jsep.state() != SignalingState.HAVE_LOCAL_OFFER) {
            throw new IllegalStateException("createOffer is invalid in " + jsep.state());
        }
        IceCredentials ice = restart.offerCredentials(iceLocal, random);
        // a restart offer's candidates carry its new credentials and the next generation
        int gen = ice.equals(iceLocal) ? generation : generation + 1;
        return withCandidates(Jsep.createOffer(parameters(ice), nextOrigin()), "0", gen, ice.ufrag()).toSdp();
    }

    String createAnswer() {
        if (jsep.state() != SignalingState.HAVE_REMOTE_OFFER) {
            throw new IllegalStateException("createAnswer is invalid in " + jsep.state() + " (W3C InvalidStateError)");
        }
        try {
            JsepLocalParameters mine = parameters(restart.answerCredentials(iceLocal));
            return Jsep.createAnswer(jsep.remoteDescription(), mine, nextOrigin()).toSdp();
        } catch (JsepException e) {
            throw new IllegalStateException("cannot answer the remote offer: " + e.getMessage(), e);
        }
    }

    /** RFC 8829 §5.2.2: the same session id, the version incremented for each new description. */
    private SdpLine.Origin nextOrigin() {
        origin = origin == null ? Jsep.newOrigin(random) : Jsep.nextVersion(origin);
        return origin;
    }

    void setLocal(Instant now, RtcSessionDescription d) {
        SignalingState before = jsep.state();
        switch (d.type()) {
            case ROLLBACK -> {
                jsep.setLocal(SdpType.ROLLBACK, null);
                restart.rolledBackLocalOffer().ifPresent(this::undoLocalRestart);
            }
            case PRANSWER -> throw new IllegalArgumentException("pranswer is not supported");
            case OFFER, ANSWER -> {
                String text = !d.sdp().isBlank() ? d.sdp() : d.type() == SdpType.OFFER ? createOffer() : createAnswer();
                SessionDescription sd = parse(text, "local");
                JsepRemoteParameters mine = parameters(sd, "local");
                jsep.setLocal(d.type(), sd);
                if (d.type() == SdpType.ANSWER) {
                    currentLocalType = SdpType.ANSWER;
                    currentRemoteType = SdpType.OFFER;
                }
                IceCredentials set = credentials(mine.ice());
                if (d.type() == SdpType.OFFER) {
                    localMid = mine.mid();
                    if (iceStarted && !set.equals(iceLocal)) {
                        startLocalRestart(set);
                    }
                    startIce(IceRole.CONTROLLING);
                } else if (restart.remoteOfferPending()) {
                    localMid = mine.mid();
                    finishRemoteRestart(set);
                } else {
                    localMid = mine.mid();
                    // RFC 8445 §6.1.1: the answerer is controlled unless the offerer is ICE-lite
                    startIce(remote.iceLite() ? IceRole.CONTROLLING : IceRole.CONTROLLED);
                    applyRemote();
                    buildTransport(now, mine.setup());
                }
            }
        }
        signalingChanged(before);
    }

    void setRemote(Instant now, RtcSessionDescription d) {
        SignalingState before = jsep.state();
        switch (d.type()) {
            case ROLLBACK -> {
                jsep.setRemote(SdpType.ROLLBACK, null);
                restart.rolledBackRemoteOffer();
                if (!remoteApplied) {
                    remote = null;
                    queued.clear();
                    remoteEndOfCandidates = false;
                }
            }
            case PRANSWER -> throw new IllegalArgumentException("pranswer is not supported");
            case OFFER, ANSWER -> {
                SessionDescription sd = parse(d.sdp(), "remote");
                JsepRemoteParameters p = parameters(sd, "remote");
                if (d.type() == SdpType.ANSWER && p.setup() != SetupRole.ACTIVE && p.setup() != SetupRole.PASSIVE) {
                    throw new IllegalArgumentException("RFC 8842 §5.3: an answer's a=setup is active or passive, not "
                            + p.setup().sdp());
                }
                if (d.type() == SdpType.OFFER && p.setup() == SetupRole.HOLDCONN) {
                    throw new IllegalArgumentException("the offer has a=setup:holdconn");
                }
                for (SdpAttribute.Fingerprint f : p.fingerprints()) {
                    if (DtlsFingerprint.supports(f.hashFunction())) {
                        DtlsFingerprint.parse(f.hashFunction() + " " + f.fingerprint()); // IAE when malformed
                    }
                }
                boolean restarts = remoteApplied && !p.ice().equals(remote.ice());
                if (restarts && d.type() == SdpType.ANSWER) {
                    throw new IllegalArgumentException("the answer changes ice-ufrag/ice-pwd, but our offer did not restart ICE"
                            + " (RFC 8839 §4.4.1.1.1)");
                }
                jsep.setRemote(d.type(), sd); // IllegalStateException in the wrong state, nothing changed yet
                if (restarts) {
                    // RFC 8839 §4.4.1.1.2: the peer restarts ICE; our answer gets new credentials too, and the agent
                    // restarts when that answer is set (a rollback before then leaves ICE as it was)
                    restart.remoteOffer(p, random);
                    for (SdpCandidate c : p.candidates()) {
                        remoteCandidate(c.toCandidateString());
                    }
                    signalingChanged(before);
                    return;
                }
                if (d.type() == SdpType.ANSWER) {
                    currentLocalType = SdpType.OFFER;
                    currentRemoteType = SdpType.ANSWER;
                    restart.answered();
                }
                boolean first = !remoteApplied;
                if (first) {
                    remote = p;
                    remoteEndOfCandidates = p.endOfCandidates();
                }
                for (SdpCandidate c : p.candidates()) {
                    remoteCandidate(c.toCandidateString());
                }
                if (!first && p.endOfCandidates()) {
                    endOfRemoteCandidates();
                }
                if (d.type() == SdpType.ANSWER) {
                    applyRemote();
                    buildTransport(now, p.setup() == SetupRole.ACTIVE ? SetupRole.PASSIVE : SetupRole.ACTIVE);
                }
            }
        }
        signalingChanged(before);
    }

    private static SessionDescription parse(String text, String which) {
        try {
            return SessionDescription.parse(text);
        } catch (SdpParseException e) {
            throw new IllegalArgumentException("invalid " + which + " SDP: " + e.getMessage(), e);
        }
    }

    private static JsepRemoteParameters parameters(SessionDescription sd, String which) {
        try {
            return Jsep.remoteParameters(sd);
        } catch (JsepException e) {
            throw new IllegalArgumentException("unusable " + which + " SDP: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unusable " + which + " SDP: " + e, e);
        }
    }

    private void buildTransport(Instant now, SetupRole localSetup) {
        if (!transportBuilt) {
            transportBuilt = true;
            transport.ready(now, remote, localSetup);
        }
    }

    private void signalingChanged(SignalingState before) {
        if (jsep.state() != before) {
            out.accept(new PeerEvent.SignalingStateChanged(jsep.state()));
        }
    }

    void close() {
        jsep.close();
    }

    // ---- ICE restarts (RFC 8445 §9, RFC 8839 §4.4.1.1) -------------------------------------------------------

    /** Our offer with new credentials is set: the agent restarts at once (the answerer's checks may come first). */
    private void startLocalRestart(IceCredentials set) {
        restart.localOfferSet(iceLocal, remote == null ? null : credentials(remote.ice()), endOfCandidatesSent);
        generationBeforeRestart = generation++;
        useLocal(set);
        out.accept(new PeerOutput.RestartIce(set, null));
        remoteApplied = false; // the answer's credentials and candidates are the new generation's
        remoteEndOfCandidates = false;
        endOfCandidatesSent = false;
        queued.clear();
    }

    /** Rolled back our restart offer: the agent goes back to the old credentials and the peer's candidates. */
    private void undoLocalRestart(PeerIceRestart.Previous previous) {
        generation = generationBeforeRestart;
        useLocal(previous.local());
        if (previous.remote() == null) {
            return;
        }
        out.accept(new PeerOutput.RestartIce(previous.local(), previous.remote()));
        remoteApplied = true;
        queued.clear();
        previous.candidates().forEach(this::pair);
        if (previous.ended()) {
            remoteEndOfCandidates = true;
            endOfCandidatesSent = true;
            out.accept(new PeerOutput.EndOfRemoteCandidates());
        }
    }

    /** Our answer to the peer's restart is set: the agent restarts with both new credentials. */
    private void finishRemoteRestart(IceCredentials set) {
        PeerIceRestart.RemoteOffer r = restart.remoteOfferAnswered();
        generation++;
        useLocal(set);
        remote = r.parameters();
        out.accept(new PeerOutput.RestartIce(set, credentials(remote.ice())));
        remoteApplied = true;
        remoteEndOfCandidates = false;
        endOfCandidatesSent = false;
        r.candidates().forEach(this::pair);
        if (r.ended()) {
            endOfRemoteCandidates();
        }
    }

    /**
     * New local credentials are in use: the candidates go out again for trickling peers (W3C: gathering restarts
     * with an ICE restart), for the same sockets, then end-of-candidates.
     */
    private void useLocal(IceCredentials ice) {
        local = parameters(ice);
        iceLocal = ice;
        if (gathering != RtcIceGatheringState.COMPLETE) {
            return; // still gathering: the rest of the candidates and the end come as they are found
        }
        gathering = RtcIceGatheringState.GATHERING;
        out.accept(new PeerEvent.IceGatheringStateChanged(gathering));
        for (SdpCandidate c : localCandidates) {
            announce(c);
        }
        localGatheringCompleted();
    }

    // ---- ICE --------------------------------------------------------------------------------------------------

    private void startIce(IceRole role) {
        if (iceStarted) {
            return;
        }
        iceStarted = true;
        out.accept(new PeerOutput.StartIce(role, iceLocal));
        gathering = RtcIceGatheringState.GATHERING;
        out.accept(new PeerEvent.IceGatheringStateChanged(gathering));
    }

    /** Gives the agent the peer's credentials and every candidate kept so far. */
    private void applyRemote() {
        if (!iceStarted || remote == null || remoteApplied) {
            return;
        }
        remoteApplied = true;
        out.accept(new PeerOutput.RemoteIceCredentials(new IceCredentials(remote.ice().ufrag(), remote.ice().pwd())));
        for (IceCandidate c : queued) {
            pair(c);
        }
        queued.clear();
        if (remoteEndOfCandidates) {
            endOfRemoteCandidates();
        }
    }

    void localCandidateGathered(IceCandidate c) {
        SdpCandidate sc;
        try {
            sc = SdpCandidate.parse(c.toSdp());
        } catch (SdpParseException e) {
            candidatesDropped++;
            return;
        }
        localCandidates.add(sc);
        announce(sc);
    }

    /** W3C onicecandidate, for trickle (RFC 8838), labelled with the current generation and ufrag. */
    private void announce(SdpCandidate c) {
        String line = labelled(c, generation, iceLocal.ufrag()).toCandidateString();
        out.accept(new PeerEvent.IceCandidateGathered(new RtcIceCandidate(line, localMid, 0)));
    }

    void localGatheringCompleted() {
        if (gathering == RtcIceGatheringState.COMPLETE) {
            return;
        }
        gathering = RtcIceGatheringState.COMPLETE;
        out.accept(new PeerEvent.IceGatheringStateChanged(gathering));
        out.accept(new PeerEvent.IceCandidateGathered(RtcIceCandidate.endOfCandidates(localMid)));
    }

    /** W3C addIceCandidate (RFC 8838 trickle); an empty candidate is end-of-candidates. */
    void addRemoteCandidate(RtcIceCandidate c) {
        SessionDescription rd = jsep.remoteDescription();
        if (rd == null) {
            throw new IllegalStateException("addIceCandidate before setRemoteDescription (W3C InvalidStateError)");
        }
        if (c.sdpMid() != null) {
            if (rd.mediaByMid(c.sdpMid()).isEmpty()) {
                throw new IllegalArgumentException("no m-section with mid " + c.sdpMid() + " (W3C OperationError)");
            }
        } else if (c.sdpMLineIndex() != null && c.sdpMLineIndex() >= rd.media().size()) {
            throw new IllegalArgumentException("no m-section at index " + c.sdpMLineIndex() + " (W3C OperationError)");
        }
        if (c.isEndOfCandidates()) {
            endOfRemoteCandidates();
            return;
        }
        try {
            IceCandidateParser.parse(c.candidate());
        } catch (IceParseException e) {
            throw new IllegalArgumentException("bad candidate: " + e.getMessage(), e);
        }
        remoteCandidate(c.candidate());
    }

    private void remoteCandidate(String line) {
        IceCandidate c;
        try {
            c = IceCandidateParser.parse(line);
        } catch (IceParseException | RuntimeException e) {
            candidatesDropped++;
            return;
        }
        if (c.component() != 1 || c.transport() != IceTransport.UDP) {
            candidatesDropped++; // the UDP driver pairs UDP candidates of component 1 (rtcp-mux, BUNDLE) only
            return;
        }
        if (restart.remoteOfferPending()) {
            if (!restart.keep(c, MAX_REMOTE_CANDIDATES)) {
                candidatesDropped++; // of the restarting peer's next generation: paired when our answer is set
            }
            return;
        }
        if (!remoteApplied) {
            if (queued.size() < MAX_REMOTE_CANDIDATES) {
                queued.add(c);
            } else {
                candidatesDropped++;
            }
            return;
        }
        pair(c);
    }

    private void pair(IceCandidate c) {
        restart.paired(c, MAX_REMOTE_CANDIDATES);
        if (!c.isMdns()) {
            if (c.socketAddress().isPresent()) {
                out.accept(new PeerOutput.RemoteCandidate(c));
            } else {
                candidatesDropped++; // a non-mDNS name: never looked up (it could make us query anything)
            }
            return;
        }
        if (!MdnsResolver.isMdnsName(c.address()) || (mdnsWaiting.size() >= MAX_REMOTE_CANDIDATES
                && !mdnsWaiting.containsKey(c.address()))) {
            candidatesDropped++;
            return;
        }
        List<IceCandidate> waiting = mdnsWaiting.computeIfAbsent(c.address(), k -> new ArrayList<>());
        waiting.add(c);
        if (waiting.size() == 1) {
            out.accept(new PeerOutput.ResolveMdns(c.address()));
        }
    }

    /** The driver resolved (address non-null) or gave up on an mDNS name. */
    void mdnsResolved(String name, InetAddress address) {
        List<IceCandidate> waiting = mdnsWaiting.remove(name);
        if (waiting == null) {
            return;
        }
        if (address != null) {
            mdnsResolved++;
        }
        for (IceCandidate c : waiting) {
            if (address == null) {
                candidatesDropped++;
                continue;
            }
            out.accept(new PeerOutput.RemoteCandidate(new IceCandidate(c.foundation(), c.component(), c.transport(),
                    c.priority(), address.getHostAddress(), c.port(), c.type(), c.relatedAddress(), c.relatedPort(),
                    c.tcpType(), c.extensions())));
        }
        if (mdnsWaiting.isEmpty() && remoteEndOfCandidates && !endOfCandidatesSent && remoteApplied) {
            endOfCandidatesSent = true;
            out.accept(new PeerOutput.EndOfRemoteCandidates());
        }
    }

    private void endOfRemoteCandidates() {
        if (restart.remoteOfferPending()) {
            restart.remoteEnded();
            return;
        }
        remoteEndOfCandidates = true;
        // wait for pending mDNS look-ups: the agent may conclude failure once candidates have ended
        if (remoteApplied && mdnsWaiting.isEmpty() && !endOfCandidatesSent) {
            endOfCandidatesSent = true;
            out.accept(new PeerOutput.EndOfRemoteCandidates());
        }
    }

    long candidatesDropped() {
        return candidatesDropped;
    }

    /** mDNS names resolved to an address so far. */
    long mdnsResolved() {
        return mdnsResolved;
    }

    // ---- descriptions -----------------------------------------------------------------------------------------

    /** W3C localDescription: the pending one (an offer) or the current one, with the candidates gathered so far. */
    Optional<RtcSessionDescription> localDescription() {
        SessionDescription sd = jsep.localDescription();
        SdpType type = jsep.pendingLocalDescription() != null ? SdpType.OFFER : currentLocalType;
        return sd == null ? Optional.empty() : Optional.of(new RtcSessionDescription(type, withCandidates(sd, localMid, generation, iceLocal.ufrag()).toSdp()));
    }

    Optional<RtcSessionDescription> remoteDescription() {
        SdpType type = jsep.pendingRemoteDescription() != null ? SdpType.OFFER : currentRemoteType;
        return Optional.ofNullable(jsep.remoteDescription()).map(sd -> new RtcSessionDescription(type, sd.toSdp()));
    }

    private SessionDescription withCandidates(SessionDescription sd, String mid, int gen, String ufrag) {
        if (mid == null || sd.media().stream().map(MediaDescription::mid).noneMatch(m -> m.filter(mid::equals).isPresent())) {
            return sd;
        }
        SessionDescription r = sd;
        for (SdpCandidate c : localCandidates) {
            r = JsepCandidates.withCandidate(r, mid, labelled(c, gen, ufrag));
        }
        return gathering == RtcIceGatheringState.COMPLETE ? JsepCandidates.withEndOfCandidates(r, mid) : r;
    }

    /**
     * The candidate with {@code generation} and {@code ufrag} extensions, as browsers write them: after an ICE
     * restart a browser that already paired one of its new ports with this address under the old credentials
     * takes the candidate with the higher generation as a new one, and checks with the new credentials.
     */
    private static SdpCandidate labelled(SdpCandidate c, int gen, String ufrag) {
        List<SdpCandidate.Extension> ext = new ArrayList<>();
        for (SdpCandidate.Extension e : c.extensions()) {
            if (!e.name().equals("generation") && !e.name().equals("ufrag")) {
                ext.add(e);
            }
        }
        ext.add(new SdpCandidate.Extension("generation", Integer.toString(gen)));
        ext.add(new SdpCandidate.Extension("ufrag", ufrag));
        return new SdpCandidate(c.foundation(), c.component(), c.transport(), c.priority(), c.address(), c.port(),
                c.candidateType(), c.relatedAddress(), c.relatedPort(), ext);
    }

    static String typeName(CandidateType t) {
        return t.sdpName();
    }
}
