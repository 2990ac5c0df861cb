package io.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Trickle and non-trickle candidates in our descriptions, with the default candidate in m= and c=. */
class JsepCandidatesTest {
    static final SdpCandidate HOST = SdpCandidate.of("1", 1, "udp", 2122260223L, "127.0.0.1", 40000, "host");
    static final SdpCandidate MDNS = SdpCandidate.of("2", 1, "udp", 2122260222L, "0b4f2d3c-aaaa-bbbb-cccc-0123456789ab.local", 40001, "host");
    static final SdpCandidate RELAY = new SdpCandidate("3", 1, "udp", 41885439L, "10.0.0.9", 50000, "relay", "127.0.0.1", 40000,
            List.of(new SdpCandidate.Extension("generation", "0")));
    static final SdpCandidate TCP = SdpCandidate.of("4", 1, "tcp", 1518280447L, "127.0.0.1", 9, "host");
    static final SdpCandidate V6 = SdpCandidate.of("5", 1, "udp", 2122262783L, "::1", 40002, "host");

    private static SessionDescription offer() {
        return Jsep.createOffer(JsepTest.LOCAL, JsepTest.ORIGIN);
    }

    @Test
    void trickledCandidatesMoveTheDefaultCandidate() throws Exception {
        SessionDescription sd = JsepCandidates.withCandidate(offer(), "0", MDNS);
        MediaDescription m = sd.media().get(0);
        assertThat(m.mediaLine().port()).isEqualTo(9); // an mDNS name is never the default (no IP in c=)
        assertThat(m.connection()).contains(SdpLine.ConnectionData.ip4("0.0.0.0"));

        sd = JsepCandidates.withCandidate(sd, "0", HOST);
        assertThat(sd.media().get(0).mediaLine().port()).isEqualTo(40000);
        assertThat(sd.media().get(0).connection()).contains(SdpLine.ConnectionData.ip4("127.0.0.1"));

        sd = JsepCandidates.withCandidate(sd, "0", RELAY);
        sd = JsepCandidates.withCandidate(sd, "0", TCP);
        assertThat(sd.media().get(0).mediaLine().port()).isEqualTo(50000);
        assertThat(sd.media().get(0).candidates()).containsExactly(MDNS, HOST, RELAY, TCP);
        assertThat(JsepCandidates.withCandidate(sd, "0", HOST)).isEqualTo(sd);

        sd = JsepCandidates.withoutCandidate(sd, "0", RELAY);
        assertThat(sd.media().get(0).candidates()).containsExactly(MDNS, HOST, TCP);
        assertThat(sd.media().get(0).mediaLine().port()).isEqualTo(40000);

        SessionDescription back = SessionDescription.parse(sd.toSdp());
        assertThat(back).isEqualTo(sd);
        assertThat(Jsep.remoteParameters(back).candidates()).containsExactly(MDNS, HOST, TCP);
        assertThat(sd.toSdp()).contains("m=application 40000 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 127.0.0.1\r\n");
    }

    @Test
    void ipv6DefaultCandidateUsesIp6() {
        SessionDescription sd = JsepCandidates.withCandidate(offer(), "0", V6);
        assertThat(sd.media().get(0).connection()).contains(new SdpLine.ConnectionData("IN", "IP6", "::1"));
    }

    @Test
    void nonTrickleDescriptionHasAllCandidatesAndEnd() throws Exception {
        SessionDescription sd = JsepCandidates.withAllCandidates(offer(), "0", List.of(HOST, RELAY));
        JsepRemoteParameters p = Jsep.remoteParameters(SessionDescription.parse(sd.toSdp()));
        assertThat(p.candidates()).containsExactly(HOST, RELAY);
        assertThat(p.endOfCandidates()).isTrue();
        assertThat(JsepCandidates.withEndOfCandidates(sd, "0")).isEqualTo(sd);
        assertThatThrownBy(() -> JsepCandidates.withCandidate(sd, "0", TCP)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("end-of-candidates");
    }

    @Test
    void removingEveryCandidateRestoresTheTricklePlaceholder() {
        SessionDescription sd = JsepCandidates.withoutCandidate(JsepCandidates.withCandidate(offer(), "0", HOST), "0", HOST);
        assertThat(sd).isEqualTo(offer());
    }

    @Test
    void candidatesGoIntoAnAnswerForChromium() throws Exception {
        SessionDescription answer = Jsep.createAnswer(Fixtures.parse("chromium156-nomdns-av-data-offer.sdp"), JsepTest.LOCAL, JsepTest.ORIGIN);
        SessionDescription withHost = JsepCandidates.withCandidate(answer, "2", HOST);
        assertThat(withHost.media().get(2).mediaLine().port()).isEqualTo(40000);
        assertThat(withHost.media().get(0).mediaLine().port()).isZero();
        assertThatThrownBy(() -> JsepCandidates.withCandidate(answer, "7", HOST)).isInstanceOf(IllegalArgumentException.class);
    }
}
