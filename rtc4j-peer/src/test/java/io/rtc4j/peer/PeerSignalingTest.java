package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.dtls.DtlsFingerprint;
import io.rtc4j.ice.IceRole;
import io.rtc4j.sdp.JsepRemoteParameters;
import io.rtc4j.sdp.SetupRole;
import io.rtc4j.sdp.SignalingState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The JSEP half of the engine, without sockets or threads: answering captured browser offers (current,
 * legacy, audio+video+data, mDNS candidates), the ICE commands and DTLS roles that follow.
 */
class PeerSignalingTest {
    final List<PeerOutput> out = new ArrayList<>();
    final List<Object[]> transports = new ArrayList<>();
    final Instant now = Instant.parse("2026-11-22T08:00:00Z");

    PeerSignaling signaling() {
        return new PeerSignaling(new SplittableRandom(7), DtlsFingerprint.of("sha-256", new byte[] {1, 2, 3}), out::add,
                (t, remote, setup) -> transports.add(new Object[] {remote, setup}));
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = PeerSignalingTest.class.getResourceAsStream("fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    <T> List<T> outputs(Class<T> type) {
        return out.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void answersChromiumsMdnsOfferAsActiveControlledAndResolvesTheMdnsCandidate() throws Exception {
        PeerSignaling s = signaling();
        s.setRemote(now, RtcSessionDescription.offer(fixture("chromium156-mdns-data-offer.sdp")));
        assertThat(s.state()).isEqualTo(SignalingState.HAVE_REMOTE_OFFER);
        assertThat(outputs(PeerOutput.StartIce.class)).isEmpty(); // W3C: gathering starts at setLocalDescription
        String answer = s.createAnswer();
        assertThat(answer).contains("a=setup:active").contains("a=mid:0").contains("a=sctp-port:5000")
                .contains("m=application 9 UDP/DTLS/SCTP webrtc-datachannel").contains("a=fingerprint:" + DtlsFingerprint.of("sha-256", new byte[] {1, 2, 3}).toAttributeValue());
        s.setLocal(now, RtcSessionDescription.answer(answer));
        assertThat(s.state()).isEqualTo(SignalingState.STABLE);
        assertThat(outputs(PeerOutput.StartIce.class)).singleElement().extracting(PeerOutput.StartIce::role)
                .isEqualTo(IceRole.CONTROLLED);
        assertThat(outputs(PeerOutput.RemoteIceCredentials.class)).singleElement()
                .satisfies(c -> assertThat(c.credentials().ufrag()).isEqualTo("/MJV"));
        // the .local host candidate is resolved before it reaches the agent
        assertThat(outputs(PeerOutput.RemoteCandidate.class)).isEmpty();
        assertThat(outputs(PeerOutput.ResolveMdns.class)).singleElement().extracting(PeerOutput.ResolveMdns::name)
                .isEqualTo("b7c57539-3456-40e7-939d-4e3a112afe14.local");
        s.mdnsResolved("b7c57539-3456-40e7-939d-4e3a112afe14.local", InetAddress.getByName("127.0.0.1"));
        assertThat(outputs(PeerOutput.RemoteCandidate.class)).singleElement().satisfies(c -> {
            assertThat(c.candidate().address()).isEqualTo("127.0.0.1");
            assertThat(c.candidate().port()).isEqualTo(44163);
        });
        // DTLS client (active), SCTP parameters from the offer
        assertThat(transports).hasSize(1);
        JsepRemoteParameters remote = (JsepRemoteParameters) transports.getFirst()[0];
        assertThat(transports.getFirst()[1]).isEqualTo(SetupRole.ACTIVE);
        assertThat(remote.sctpPort()).isEqualTo(5000);
        assertThat(remote.maxMessageSize()).isEqualTo(262144);
        // trickled end-of-candidates reaches the agent once
        s.addRemoteCandidate(RtcIceCandidate.endOfCandidates("0"));
        s.addRemoteCandidate(RtcIceCandidate.endOfCandidates("0"));
        assertThat(outputs(PeerOutput.EndOfRemoteCandidates.class)).hasSize(1);
    }

    @Test
    void answersTheLegacyDtlsSctpFormAndTheBundledAudioVideoDataOffer() throws Exception {
        PeerSignaling legacy = signaling();
        legacy.setRemote(now, RtcSessionDescription.offer(fixture("legacy-dtls-sctp-offer.sdp")));
        String a = legacy.createAnswer();
        assertThat(a).contains("m=application 9 DTLS/SCTP 5000").contains("a=sctpmap:5000 webrtc-datachannel");
        legacy.setLocal(now, RtcSessionDescription.answer(a));
        assertThat(legacy.state()).isEqualTo(SignalingState.STABLE);

        PeerSignaling av = signaling();
        av.setRemote(now, RtcSessionDescription.offer(fixture("chromium156-nomdns-av-data-offer.sdp")));
        String b = av.createAnswer();
        assertThat(b).contains("m=audio 0 ").contains("m=video 0 "); // rejected, data accepted
        av.setLocal(now, RtcSessionDescription.answer(b));
        // only UDP component-1 candidates go to the UDP agent; tcp candidates are skipped
        assertThat(outputs(PeerOutput.RemoteCandidate.class)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.candidate().transport().name()).isEqualTo("UDP"));
    }

    @Test
    void offererStartsIceControllingAndTheAnswerDecidesTheDtlsRole() {
        PeerSignaling offerer = signaling();
        String offer = offerer.createOffer();
        assertThat(offer).contains("a=setup:actpass").contains("a=ice-options:trickle");
        offerer.setLocal(now, RtcSessionDescription.offer(offer));
        assertThat(outputs(PeerOutput.StartIce.class)).singleElement().extracting(PeerOutput.StartIce::role)
                .isEqualTo(IceRole.CONTROLLING);
        assertThat(outputs(PeerEvent.IceGatheringStateChanged.class)).singleElement()
                .extracting(PeerEvent.IceGatheringStateChanged::state).isEqualTo(RtcIceGatheringState.GATHERING);

        PeerSignaling answerer = signaling();
        answerer.setRemote(now, RtcSessionDescription.offer(offer));
        String answer = answerer.createAnswer();
        offerer.setRemote(now, RtcSessionDescription.answer(answer));
        // the answer says active: the offerer is the DTLS server
        assertThat(transports).hasSize(1);
        assertThat(transports.getFirst()[1]).isEqualTo(SetupRole.PASSIVE);
        // a passive answer makes the offerer the DTLS client
        PeerSignaling o2 = signaling();
        String offer2 = o2.createOffer();
        o2.setLocal(now, RtcSessionDescription.offer(offer2));
        PeerSignaling a2 = signaling();
        a2.setRemote(now, RtcSessionDescription.offer(offer2));
        o2.setRemote(now, RtcSessionDescription.answer(a2.createAnswer().replace("a=setup:active", "a=setup:passive")));
        assertThat(transports.getLast()[1]).isEqualTo(SetupRole.ACTIVE);
    }

    @Test
    void theOffererResolvesTheMdnsCandidateOfChromiumsAnswer() throws Exception {
        PeerSignaling s = signaling();
        s.setLocal(now, RtcSessionDescription.offer(s.createOffer()));
        s.setRemote(now, RtcSessionDescription.answer(fixture("chromium156-mdns-data-answer.sdp")));
        assertThat(s.state()).isEqualTo(SignalingState.STABLE);
        assertThat(outputs(PeerOutput.RemoteIceCredentials.class)).hasSize(1);
        assertThat(outputs(PeerOutput.ResolveMdns.class)).singleElement()
                .satisfies(r -> assertThat(r.name()).endsWith(".local"));
        assertThat(transports.getFirst()[1]).isEqualTo(SetupRole.PASSIVE); // Chromium answered active
    }
}
