package io.rtc4j.bench.peer;

import io.rtc4j.peer.RtcIceCandidate;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcSessionDescription;
import io.rtc4j.sdp.SdpCandidate;
import io.rtc4j.sdp.SdpParseException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * In-process offer/answer with trickle in which each side learns only the relay: A's first UDP IPv4 host
 * candidate becomes the relay's endpoint A and reaches B as P2's address; B's becomes endpoint B and reaches A as
 * P1's. Foundation, component, priority and extensions are kept. Every other candidate (TCP, IPv6, srflx, relay,
 * a second host) and every {@code a=candidate} line in the SDP is withheld, so ICE checks cross the emulated path
 * too, as on a real long path. Handlers only post to the signaling executor.
 */
final class RelayedSignaling {
    private static final Pattern SDP_CANDIDATE = Pattern.compile("(?m)^a=candidate:.*\\r?\\n");

    private final DelayRelay relay;
    private final Executor signaling;
    private final AtomicLong withheld = new AtomicLong();

    RelayedSignaling(DelayRelay relay, Executor signaling) {
        this.relay = relay;
        this.signaling = signaling;
    }

    /** Candidates not passed on so far. */
    long withheld() {
        return withheld.get();
    }

    void connect(RtcPeerConnection a, RtcPeerConnection b) throws IOException {
        InetSocketAddress p1 = relay.addressForA();
        InetSocketAddress p2 = relay.addressForB();
        AtomicBoolean aTaken = new AtomicBoolean();
        AtomicBoolean bTaken = new AtomicBoolean();
        a.onIceCandidate(c -> signaling.execute(() -> pass(c, aTaken, relay::endpointA, p2, b)));
        b.onIceCandidate(c -> signaling.execute(() -> pass(c, bTaken, relay::endpointB, p1, a)));
        RtcSessionDescription offer = a.createOffer();
        signaling.execute(() -> {
            a.setLocalDescription(offer);
            b.setRemoteDescription(withoutCandidates(offer));
            RtcSessionDescription answer = b.createAnswer();
            b.setLocalDescription(answer);
            a.setRemoteDescription(withoutCandidates(answer));
        });
    }

    private void pass(RtcIceCandidate c, AtomicBoolean taken, Consumer<InetSocketAddress> endpoint,
            InetSocketAddress relayAddress, RtcPeerConnection to) {
        if (c.isEndOfCandidates()) {
            to.addIceCandidate(c);
            return;
        }
        SdpCandidate s = rewritable(c.candidate());
        if (s == null || !taken.compareAndSet(false, true)) {
            withheld.incrementAndGet();
            return;
        }
        endpoint.accept(new InetSocketAddress(s.address(), s.port()));
        SdpCandidate r = rewrite(s, relayAddress);
        to.addIceCandidate(new RtcIceCandidate(r.toCandidateString(), c.sdpMid(), c.sdpMLineIndex()));
    }

    /** The candidate if it is a UDP host candidate on an IPv4 literal, else null. */
    static SdpCandidate rewritable(String candidate) {
        try {
            SdpCandidate s = SdpCandidate.parse(candidate);
            boolean ipv4 = s.address().matches("\\d{1,3}(\\.\\d{1,3}){3}");
            return s.transport().equalsIgnoreCase("udp") && s.candidateType().equals("host") && ipv4 ? s : null;
        } catch (SdpParseException e) {
            return null;
        }
    }

    /** The same candidate at the relay's address. */
    static SdpCandidate rewrite(SdpCandidate s, InetSocketAddress to) {
        return new SdpCandidate(s.foundation(), s.component(), s.transport(), s.priority(),
                to.getAddress().getHostAddress(), to.getPort(), s.candidateType(), s.relatedAddress(), s.relatedPort(),
                s.extensions());
    }

    static RtcSessionDescription withoutCandidates(RtcSessionDescription d) {
        return new RtcSessionDescription(d.type(), SDP_CANDIDATE.matcher(d.sdp()).replaceAll(""));
    }
}
