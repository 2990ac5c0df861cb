package io.rtc4j.peer;

import static io.rtc4j.peer.LoopbackPeers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * ICE restarts between two rtc4j peers over 127.0.0.1 (RFC 8445 §9, RFC 8839 §4.4.1.1, W3C restartIce()): from
 * either side, with trickled candidates, the channel carrying messages throughout; a rolled-back restart offer;
 * an answer that changes credentials on its own is refused.
 */
class PeerIceRestartTest {
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Pattern UFRAG = Pattern.compile("a=ice-ufrag:(\\S+)");

    @Test
    void restartFromEitherSideSelectsANewPairWhileTheChannelGoesOn() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            BlockingQueue<RtcDataChannelMessage> echoes = openEcho(p);
            RtcDataChannel ch = channelA;
            for (RtcPeerConnection restarter : List.of(p.a, p.b)) {
                RtcPeerConnection other = restarter == p.a ? p.b : p.a;
                RtcStats r0 = restarter.getStats();
                RtcStats o0 = other.getStats();
                restarter.restartIce();
                RtcSessionDescription offer = restarter.createOffer();
                assertThat(ufrag(offer.sdp())).isNotEqualTo(r0.iceLocalUsernameFragment());
                assertThat(ufrag(restarter.createOffer().sdp())).as("every offer of the restart").isEqualTo(ufrag(offer.sdp()));
                p.post(() -> {
                    restarter.setLocalDescription(offer);
                    other.setRemoteDescription(offer);
                    other.setLocalDescription(other.createAnswer());
                    restarter.setRemoteDescription(other.localDescription().orElseThrow());
                });
                ch.send("during " + restarter.hashCode());
                assertThat(PeerConnectionLoopbackTest.next(echoes).text()).isEqualTo("during " + restarter.hashCode());
                // the new generation's checks selected a pair on both sides, with new credentials on both
                await("restart done", BOUND, () -> restarter.getStats().selectedCandidatePairChanges() > r0.selectedCandidatePairChanges()
                        && other.getStats().selectedCandidatePairChanges() > o0.selectedCandidatePairChanges());
                assertThat(p.signalingErrors).isEmpty();
                assertThat(restarter.getStats().iceLocalUsernameFragment()).isEqualTo(ufrag(offer.sdp()));
                assertThat(other.getStats().iceLocalUsernameFragment()).isNotEqualTo(o0.iceLocalUsernameFragment())
                        .isEqualTo(ufrag(other.localDescription().orElseThrow().sdp()));
                assertThat(restarter.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
                assertThat(other.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
                ch.send(new byte[] {1, 2, 3});
                assertThat(PeerConnectionLoopbackTest.next(echoes).data()).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void aRolledBackRestartOfferLeavesTheConnectionAsItWas() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            BlockingQueue<RtcDataChannelMessage> echoes = openEcho(p);
            RtcStats a0 = p.a.getStats();
            p.a.restartIce();
            p.a.setLocalDescription(p.a.createOffer());
            assertThat(p.a.getStats().iceLocalUsernameFragment()).isNotEqualTo(a0.iceLocalUsernameFragment());
            p.a.setLocalDescription(RtcSessionDescription.rollback());
            assertThat(p.a.signalingState()).isEqualTo(io.rtc4j.sdp.SignalingState.STABLE);
            assertThat(p.a.getStats().iceLocalUsernameFragment()).isEqualTo(a0.iceLocalUsernameFragment());
            // A's agent went back to the old credentials and B's candidates: checks select again, B never knew
            await("A checked again", BOUND, () -> p.a.getStats().selectedCandidatePairChanges() > a0.selectedCandidatePairChanges());
            assertThat(p.a.createOffer().sdp()).contains("a=ice-ufrag:" + a0.iceLocalUsernameFragment());
            channelA.send("after rollback");
            assertThat(PeerConnectionLoopbackTest.next(echoes).text()).isEqualTo("after rollback");
            assertThat(p.a.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
            assertThat(p.b.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
        }
    }

    @Test
    void aRolledBackRestartingRemoteOfferChangesNothingAndAnAnswerMayNotRestartAlone() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            openEcho(p);
            RtcStats b0 = p.b.getStats();
            p.a.restartIce();
            RtcSessionDescription restart = p.a.createOffer();
            p.b.setRemoteDescription(restart);
            assertThat(ufrag(p.b.createAnswer().sdp())).as("the answer to a restart has new credentials too")
                    .isNotEqualTo(b0.iceLocalUsernameFragment());
            p.b.setRemoteDescription(RtcSessionDescription.rollback());
            assertThat(p.b.getStats().iceLocalUsernameFragment()).isEqualTo(b0.iceLocalUsernameFragment());
            // an answer with new credentials to an offer that kept them: refused, nothing changes
            RtcSessionDescription plain = p.b.createOffer();
            p.b.setLocalDescription(plain);
            p.a.setRemoteDescription(plain);
            String answer = p.a.createAnswer().sdp();
            String forged = answer.replace("a=ice-ufrag:" + ufrag(answer), "a=ice-ufrag:zzzz")
                    .replaceAll("a=ice-pwd:\\S+", "a=ice-pwd:abcdefghijklmnopqrstuvwx");
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.answer(forged)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("did not restart ICE");
            assertThat(p.b.signalingState()).isEqualTo(io.rtc4j.sdp.SignalingState.HAVE_LOCAL_OFFER);
            assertThat(p.b.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
        }
    }

    private RtcDataChannel channelA;

    /** A opens an echo channel to B over trickle; the echoes A receives. */
    private BlockingQueue<RtcDataChannelMessage> openEcho(LoopbackPeers p) {
        List<RtcDataChannel> atB = new CopyOnWriteArrayList<>();
        PeerConnectionLoopbackTest.echoOn(p.b, atB);
        channelA = p.a.createDataChannel("e");
        BlockingQueue<RtcDataChannelMessage> echoes = new LinkedBlockingQueue<>();
        channelA.onMessage(echoes::add);
        p.connectTrickle();
        await("open", BOUND, () -> channelA.readyState() == RtcDataChannelState.OPEN && atB.size() == 1);
        p.awaitConnected();
        return echoes;
    }

    private static String ufrag(String sdp) {
        Matcher m = UFRAG.matcher(sdp);
        assertThat(m.find()).as(sdp).isTrue();
        return m.group(1);
    }
}
