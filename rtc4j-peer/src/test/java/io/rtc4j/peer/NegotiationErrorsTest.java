package io.rtc4j.peer;

import static io.rtc4j.peer.LoopbackPeers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.dtls.DtlsCertificate;
import io.rtc4j.sdp.SignalingState;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bad descriptions are rejected with a reason and change nothing; a wrong fingerprint fails the connection. */
class NegotiationErrorsTest {
    @Test
    void aFingerprintThatDoesNotMatchTheCertificateFailsTheConnection() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            p.a.createDataChannel("never");
            RtcSessionDescription offer = p.a.createOffer();
            p.a.setLocalDescription(offer);
            // a man in the middle's fingerprint: another certificate's
            DtlsCertificate other = DtlsCertificate.generateEcdsa(new SecureRandom(), Instant.now());
            String forged = offer.sdp().replaceAll("a=fingerprint:[^\r\n]+", "a=fingerprint:" + other.fingerprint().toAttributeValue());
            assertThat(forged).isNotEqualTo(offer.sdp());
            p.b.setRemoteDescription(RtcSessionDescription.offer(forged));
            p.b.onIceCandidate(c -> p.post(() -> p.a.addIceCandidate(c)));
            p.a.onIceCandidate(c -> p.post(() -> p.b.addIceCandidate(c)));
            p.b.setLocalDescription(p.b.createAnswer());
            p.a.setRemoteDescription(p.b.localDescription().orElseThrow());
            // B (DTLS client) checks A's certificate against the forged fingerprint and sends bad_certificate
            await("B failed", Duration.ofSeconds(20), () -> p.b.connectionState() == RtcPeerConnectionState.FAILED);
            assertThat(p.b.failureReason()).containsIgnoringCase("DTLS").containsIgnoringCase("certificate");
            await("A failed", Duration.ofSeconds(20), () -> p.a.connectionState() == RtcPeerConnectionState.FAILED);
            assertThat(p.a.failureReason()).contains("DTLS");
            assertThat(p.a.dtlsTransportState()).isEqualTo(RtcDtlsTransportState.FAILED);
            assertThat(p.b.dtlsTransportState()).isEqualTo(RtcDtlsTransportState.FAILED);
        }
    }

    @Test
    void malformedOrUnusableRemoteSdpIsRejectedWithAClearReasonAndChangesNothing() {
        try (LoopbackPeers p = new LoopbackPeers()) {
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.offer("this is not sdp")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid remote SDP");
            String offer = p.a.createOffer().sdp();
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.offer(
                    offer.replaceAll("a=fingerprint:[^\r\n]+\r\n", ""))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprint");
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.offer(
                    offer.replaceAll("a=ice-pwd:[^\r\n]+\r\n", ""))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ice-pwd");
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.offer(
                    offer.replace("m=application 9 UDP/DTLS/SCTP webrtc-datachannel", "m=audio 9 UDP/TLS/RTP/SAVPF 111"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no usable application m-section");
            assertThat(p.b.signalingState()).isEqualTo(SignalingState.STABLE);
            assertThat(p.b.remoteDescription()).isEmpty();

            // an answer in the wrong state, and an answer that keeps actpass (RFC 8842 §5.3)
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.answer(offer)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actpass");
            p.a.setLocalDescription(RtcSessionDescription.offer(offer));
            assertThatThrownBy(() -> p.a.setRemoteDescription(RtcSessionDescription.answer(offer)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("actpass");
            assertThat(p.a.signalingState()).isEqualTo(SignalingState.HAVE_LOCAL_OFFER);
            // addIceCandidate needs a remote description; a malformed candidate is an argument error
            assertThatThrownBy(() -> p.a.addIceCandidate(new RtcIceCandidate("candidate:1 1 udp 1 127.0.0.1 9 typ host", "0", 0)))
                    .isInstanceOf(IllegalStateException.class);
            p.b.setRemoteDescription(RtcSessionDescription.offer(offer));
            assertThatThrownBy(() -> p.b.addIceCandidate(new RtcIceCandidate("candidate:garbage", "0", 0)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad candidate");
            assertThatThrownBy(() -> p.b.addIceCandidate(new RtcIceCandidate("candidate:1 1 udp 1 127.0.0.1 9 typ host", "nope", null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mid");
            assertThatThrownBy(() -> p.b.createOffer()).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void rollbackReturnsToStableOnBothSidesAndNegotiationStillSucceeds() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            java.util.List<SignalingState> states = new java.util.concurrent.CopyOnWriteArrayList<>();
            p.a.onSignalingStateChange(states::add);
            RtcSessionDescription first = p.a.createOffer();
            p.a.setLocalDescription(first);
            assertThat(p.a.signalingState()).isEqualTo(SignalingState.HAVE_LOCAL_OFFER);
            p.a.setLocalDescription(RtcSessionDescription.rollback());
            assertThat(p.a.signalingState()).isEqualTo(SignalingState.STABLE);
            assertThat(p.a.localDescription()).isEmpty();
            await("state events", Duration.ofSeconds(5), () -> states.size() == 2);
            assertThat(states).containsExactly(SignalingState.HAVE_LOCAL_OFFER, SignalingState.STABLE);

            p.b.setRemoteDescription(first);
            assertThat(p.b.signalingState()).isEqualTo(SignalingState.HAVE_REMOTE_OFFER);
            p.b.setRemoteDescription(RtcSessionDescription.rollback());
            assertThat(p.b.signalingState()).isEqualTo(SignalingState.STABLE);
            assertThat(p.b.remoteDescription()).isEmpty();
            assertThatThrownBy(() -> p.b.setRemoteDescription(RtcSessionDescription.rollback()))
                    .isInstanceOf(IllegalStateException.class);

            // after the rollbacks, a normal negotiation opens a channel
            RtcDataChannel ch = p.a.createDataChannel("after-rollback");
            p.connectTrickle();
            await("open", Duration.ofSeconds(20), () -> ch.readyState() == RtcDataChannelState.OPEN);
        }
    }
}
