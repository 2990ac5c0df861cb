package io.rtc4j.sdp;

import static io.rtc4j.sdp.SdpType.ANSWER;
import static io.rtc4j.sdp.SdpType.OFFER;
import static io.rtc4j.sdp.SdpType.PRANSWER;
import static io.rtc4j.sdp.SdpType.ROLLBACK;
import static io.rtc4j.sdp.SignalingState.CLOSED;
import static io.rtc4j.sdp.SignalingState.HAVE_LOCAL_OFFER;
import static io.rtc4j.sdp.SignalingState.HAVE_LOCAL_PRANSWER;
import static io.rtc4j.sdp.SignalingState.HAVE_REMOTE_OFFER;
import static io.rtc4j.sdp.SignalingState.HAVE_REMOTE_PRANSWER;
import static io.rtc4j.sdp.SignalingState.STABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The RFC 8829 §3.2 / W3C signaling state machine, every transition and every refused one. */
class JsepSignalingTest {
    static final SessionDescription A = Jsep.createOffer(JsepTest.LOCAL, JsepTest.ORIGIN);
    static final SessionDescription B = Jsep.createOffer(JsepTest.LOCAL, Jsep.newOrigin(new SplittableRandom(7)));
    static final SessionDescription C = Jsep.createOffer(JsepTest.LOCAL, Jsep.newOrigin(new SplittableRandom(8)));

    /** Drives a fresh machine into a state. */
    private static JsepSignaling in(SignalingState s) {
        JsepSignaling m = new JsepSignaling();
        switch (s) {
            case STABLE -> {}
            case HAVE_LOCAL_OFFER -> m.setLocal(OFFER, A);
            case HAVE_REMOTE_OFFER -> m.setRemote(OFFER, A);
            case HAVE_LOCAL_PRANSWER -> { m.setRemote(OFFER, A); m.setLocal(PRANSWER, B); }
            case HAVE_REMOTE_PRANSWER -> { m.setLocal(OFFER, A); m.setRemote(PRANSWER, B); }
            case CLOSED -> m.close();
        }
        assertThat(m.state()).isEqualTo(s);
        return m;
    }

    @Test
    void offerAnswerFromEitherSide() {
        JsepSignaling m = new JsepSignaling();
        assertThat(m.setLocal(OFFER, A)).isEqualTo(HAVE_LOCAL_OFFER);
        assertThat(m.pendingLocalDescription()).isSameAs(A);
        assertThat(m.localDescription()).isSameAs(A);
        assertThat(m.setRemote(ANSWER, B)).isEqualTo(STABLE);
        assertThat(m.currentLocalDescription()).isSameAs(A);
        assertThat(m.currentRemoteDescription()).isSameAs(B);
        assertThat(m.pendingLocalDescription()).isNull();
        assertThat(m.pendingRemoteDescription()).isNull();

        assertThat(m.setRemote(OFFER, C)).isEqualTo(HAVE_REMOTE_OFFER);
        assertThat(m.remoteDescription()).isSameAs(C);
        assertThat(m.currentRemoteDescription()).isSameAs(B);
        assertThat(m.setLocal(ANSWER, A)).isEqualTo(STABLE);
        assertThat(m.currentRemoteDescription()).isSameAs(C);
        assertThat(m.currentLocalDescription()).isSameAs(A);
    }

    @Test
    void provisionalAnswers() {
        JsepSignaling m = in(HAVE_REMOTE_PRANSWER);
        assertThat(m.setRemote(PRANSWER, C)).isEqualTo(HAVE_REMOTE_PRANSWER);
        assertThat(m.setRemote(ANSWER, B)).isEqualTo(STABLE);
        assertThat(m.currentLocalDescription()).isSameAs(A);

        JsepSignaling n = in(HAVE_LOCAL_PRANSWER);
        assertThat(n.setLocal(PRANSWER, C)).isEqualTo(HAVE_LOCAL_PRANSWER);
        assertThat(n.setLocal(ANSWER, B)).isEqualTo(STABLE);
        assertThat(n.currentRemoteDescription()).isSameAs(A);
        assertThat(n.currentLocalDescription()).isSameAs(B);
    }

    @Test
    void rollbackRestoresTheStableDescriptions() {
        JsepSignaling m = new JsepSignaling();
        m.setLocal(OFFER, A);
        m.setRemote(ANSWER, B);
        m.setLocal(OFFER, C);
        assertThat(m.setLocal(ROLLBACK, null)).isEqualTo(STABLE);
        assertThat(m.localDescription()).isSameAs(A);
        assertThat(m.remoteDescription()).isSameAs(B);

        m.setRemote(OFFER, C);
        assertThat(m.setRemote(ROLLBACK, null)).isEqualTo(STABLE);
        assertThat(m.remoteDescription()).isSameAs(B);
        // W3C: either call may roll back either kind of pending offer.
        m.setRemote(OFFER, C);
        assertThat(m.setLocal(ROLLBACK, null)).isEqualTo(STABLE);
        m.setLocal(OFFER, C);
        assertThat(m.setRemote(ROLLBACK, null)).isEqualTo(STABLE);
        assertThat(m.localDescription()).isSameAs(A);
    }

    @Test
    void glareIsRefusedAndResolvedByTheRollbackOfThePolitePeer() {
        JsepSignaling polite = in(HAVE_LOCAL_OFFER);
        JsepSignaling impolite = new JsepSignaling();
        impolite.setLocal(OFFER, B);
        // Both offered; each receives the other's offer.
        assertThatThrownBy(() -> polite.setRemote(OFFER, B)).isInstanceOf(IllegalStateException.class).hasMessageContaining("glare");
        assertThat(polite.state()).isEqualTo(HAVE_LOCAL_OFFER);
        assertThat(polite.pendingLocalDescription()).isSameAs(A);
        assertThatThrownBy(() -> impolite.setRemote(OFFER, A)).isInstanceOf(IllegalStateException.class);
        // The polite peer rolls back and answers; the impolite one keeps its offer and takes the answer.
        polite.setLocal(ROLLBACK, null);
        assertThat(polite.setRemote(OFFER, B)).isEqualTo(HAVE_REMOTE_OFFER);
        assertThat(polite.setLocal(ANSWER, C)).isEqualTo(STABLE);
        assertThat(impolite.setRemote(ANSWER, C)).isEqualTo(STABLE);
        assertThat(impolite.currentLocalDescription()).isSameAs(B);
        assertThat(polite.currentRemoteDescription()).isSameAs(B);
    }

    /** The full table: what each state allows; everything else throws and changes nothing. */
    @Test
    void everyOtherTransitionIsAnIllegalStateException() {
        Set<String> allowed = Set.of(
                "STABLE local OFFER", "STABLE remote OFFER",
                "HAVE_LOCAL_OFFER local OFFER", "HAVE_LOCAL_OFFER remote ANSWER", "HAVE_LOCAL_OFFER remote PRANSWER",
                "HAVE_LOCAL_OFFER local ROLLBACK", "HAVE_LOCAL_OFFER remote ROLLBACK",
                "HAVE_REMOTE_OFFER remote OFFER", "HAVE_REMOTE_OFFER local ANSWER", "HAVE_REMOTE_OFFER local PRANSWER",
                "HAVE_REMOTE_OFFER local ROLLBACK", "HAVE_REMOTE_OFFER remote ROLLBACK",
                "HAVE_LOCAL_PRANSWER local PRANSWER", "HAVE_LOCAL_PRANSWER local ANSWER",
                "HAVE_REMOTE_PRANSWER remote PRANSWER", "HAVE_REMOTE_PRANSWER remote ANSWER");
        int refused = 0;
        for (SignalingState s : EnumSet.allOf(SignalingState.class)) {
            for (SdpType t : SdpType.values()) {
                for (boolean local : new boolean[] {true, false}) {
                    JsepSignaling m = in(s);
                    String key = s + (local ? " local " : " remote ") + t;
                    SessionDescription before = m.localDescription();
                    if (allowed.contains(key)) {
                        if (local) m.setLocal(t, C); else m.setRemote(t, C);
                        assertThat(m.state()).as(key).isNotEqualTo(CLOSED);
                    } else {
                        assertThatThrownBy(() -> { if (local) m.setLocal(t, C); else m.setRemote(t, C); })
                                .as(key).isInstanceOf(IllegalStateException.class).hasMessageContaining(s.toString());
                        assertThat(m.state()).as(key).isEqualTo(s);
                        assertThat(m.localDescription()).as(key).isSameAs(before);
                        refused++;
                    }
                }
            }
        }
        assertThat(refused).isEqualTo(6 * 4 * 2 - allowed.size());
    }

    @Test
    void closedRefusesEverything() {
        JsepSignaling m = in(HAVE_LOCAL_OFFER);
        m.close();
        assertThat(m.state()).isEqualTo(CLOSED);
        assertThatThrownBy(() -> m.setRemote(ANSWER, B)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
