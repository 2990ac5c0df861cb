package io.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** JSEP offers and answers for data channels against real Chromium 156 offers, the legacy form and our own. */
class JsepTest {
    static final IceCredentials ICE = new IceCredentials("rtc4", "abcdefghijklmnopqrstuvwx");
    static final SdpAttribute.Fingerprint FP = SdpAttribute.Fingerprint.of("sha-256", digest(3));
    static final JsepLocalParameters LOCAL = JsepLocalParameters.of(ICE, FP);
    static final SdpLine.Origin ORIGIN = Jsep.newOrigin(new SplittableRandom(42));

    static byte[] digest(int seed) {
        byte[] d = new byte[32];
        for (int i = 0; i < d.length; i++) d[i] = (byte) (i * 31 + seed);
        return d;
    }

    @Test
    void offerIsTheJsepDataChannelOfferAndParsesBack() throws Exception {
        SessionDescription offer = Jsep.createOffer(LOCAL, ORIGIN);
        String text = offer.toSdp();
        assertThat(text).isEqualTo("v=0\r\n"
                + "o=- " + ORIGIN.sessionId() + " 1 IN IP4 0.0.0.0\r\n"
                + "s=-\r\n"
                + "t=0 0\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "a=ice-ufrag:rtc4\r\n"
                + "a=ice-pwd:abcdefghijklmnopqrstuvwx\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=fingerprint:sha-256 " + FP.fingerprint() + "\r\n"
                + "a=setup:actpass\r\n"
                + "a=mid:0\r\n"
                + "a=sctp-port:5000\r\n"
                + "a=max-message-size:262144\r\n");
        SessionDescription back = SessionDescription.parse(text);
        assertThat(back).isEqualTo(offer);
        JsepRemoteParameters p = Jsep.remoteParameters(back);
        assertThat(p.ice()).isEqualTo(ICE);
        assertThat(p.fingerprints()).containsExactly(FP);
        assertThat(p.setup()).isEqualTo(SetupRole.ACTPASS);
        assertThat(p.sctpPort()).isEqualTo(5000);
        assertThat(p.maxMessageSize()).isEqualTo(262144);
        assertThat(p.trickle()).isTrue();
        assertThat(p.iceLite()).isFalse();
        assertThat(p.mid()).isEqualTo("0");
        assertThat(p.candidates()).isEmpty();
        assertThat(Long.parseLong(ORIGIN.sessionId())).isPositive();
        assertThat(Jsep.nextVersion(ORIGIN).sessionVersion()).isEqualTo("2");
        SdpLine.Origin big = new SdpLine.Origin("-", "1", "99999999999999999999", "IN", "IP4", "0.0.0.0");
        assertThat(Jsep.nextVersion(big).sessionVersion()).isEqualTo("100000000000000000000");
    }

    @Test
    void twoRtc4jPeersNegotiate() throws Exception {
        JsepLocalParameters other = JsepLocalParameters.of(new IceCredentials("peer", "ABCDEFGHIJKLMNOPQRSTUVWX"),
                SdpAttribute.Fingerprint.of("sha-256", digest(9))).withIceLite(true).withMaxMessageSize(0);
        SessionDescription offer = Jsep.createOffer(LOCAL, ORIGIN);
        SessionDescription answer = Jsep.createAnswer(SessionDescription.parse(offer.toSdp()), other, Jsep.newOrigin(new SplittableRandom(1)));
        JsepRemoteParameters fromAnswer = Jsep.remoteParameters(SessionDescription.parse(answer.toSdp()));
        assertThat(fromAnswer.setup()).isEqualTo(SetupRole.ACTIVE);
        assertThat(fromAnswer.iceLite()).isTrue();
        assertThat(Jsep.remoteParameters(offer).iceLite()).isFalse();
        assertThat(fromAnswer.maxMessageSize()).isZero();
        assertThat(fromAnswer.ice().ufrag()).isEqualTo("peer");
        assertThat(answer.sessionLines()).contains(new SdpAttribute.IceLite(), SdpAttribute.Group.bundle(List.of("0")));
    }

    @Test
    void answersChromiumDataChannelOffer() throws Exception {
        SessionDescription offer = Fixtures.parse("chromium156-nomdns-data-offer.sdp");
        JsepRemoteParameters remote = Jsep.remoteParameters(offer);
        assertThat(remote.ice().ufrag()).isEqualTo(offer.media().get(0).first(SdpAttribute.IceUfrag.class).orElseThrow().ufrag());
        assertThat(remote.setup()).isEqualTo(SetupRole.ACTPASS);
        assertThat(remote.candidates()).hasSize(4).extracting(SdpCandidate::address).contains("127.0.0.1", "10.99.0.1");
        assertThat(remote.endOfCandidates()).isFalse();
        assertThat(remote.legacySctpmap()).isFalse();

        SessionDescription answer = Jsep.createAnswer(offer, LOCAL, ORIGIN);
        assertThat(answer.media()).hasSize(1);
        assertThat(answer.media().get(0).mediaLine().value()).isEqualTo("application 9 UDP/DTLS/SCTP webrtc-datachannel");
        assertThat(answer.bundleGroup().orElseThrow().mids()).containsExactly("0");
        JsepRemoteParameters back = Jsep.remoteParameters(SessionDescription.parse(answer.toSdp()));
        assertThat(back.setup()).isEqualTo(SetupRole.ACTIVE); // RFC 8842 §5.3
        assertThat(back.mid()).isEqualTo("0");
        assertThat(back.maxMessageSize()).isEqualTo(262144);
    }

    @Test
    void answersChromiumAudioVideoDataOfferByRejectingMedia() throws Exception {
        SessionDescription offer = Fixtures.parse("chromium156-nomdns-av-data-offer.sdp");
        SessionDescription answer = SessionDescription.parse(Jsep.createAnswer(offer, LOCAL, ORIGIN).toSdp());
        assertThat(answer.media()).hasSize(3);
        for (int i = 0; i < 2; i++) {
            MediaDescription m = answer.media().get(i);
            MediaLine offered = offer.media().get(i).mediaLine();
            assertThat(m.mediaLine()).isEqualTo(offered.withPort(0));
            assertThat(m.isRejected()).isTrue();
            assertThat(m.mid()).contains(Integer.toString(i));
            assertThat(m.attributes()).containsExactly(new SdpAttribute.Mid(Integer.toString(i)));
        }
        MediaDescription app = answer.media().get(2);
        assertThat(app.mid()).contains("2");
        assertThat(app.mediaLine().port()).isEqualTo(9);
        // RFC 9143 §7.3.2: the rejected tag (audio) leaves the group; the data section is the new tag.
        assertThat(answer.bundleGroup().orElseThrow().mids()).containsExactly("2");
        assertThat(Jsep.remoteParameters(answer).mediaIndex()).isEqualTo(2);
    }

    @Test
    void answersChromiumMdnsOfferAndKeepsMdnsCandidates() throws Exception {
        SessionDescription offer = Fixtures.parse("chromium156-mdns-data-offer.sdp");
        JsepRemoteParameters remote = Jsep.remoteParameters(offer);
        assertThat(remote.candidates()).singleElement().satisfies(c -> assertThat(c.isMdns()).isTrue());
        assertThat(Jsep.createAnswer(offer, LOCAL, ORIGIN).media()).hasSize(1);
    }

    @Test
    void readsChromiumAnswer() throws Exception {
        JsepRemoteParameters p = Jsep.remoteParameters(Fixtures.parse("chromium156-nomdns-data-answer.sdp"));
        assertThat(p.setup()).isEqualTo(SetupRole.ACTIVE);
        assertThat(p.candidates()).hasSize(2);
        assertThat(p.fingerprints()).singleElement().satisfies(f -> assertThat(f.jcaAlgorithm()).isEqualTo("SHA-256"));
    }

    @Test
    void answersLegacyDtlsSctpOfferInTheLegacyForm() throws Exception {
        SessionDescription offer = Fixtures.parse("legacy-dtls-sctp-offer.sdp");
        JsepRemoteParameters remote = Jsep.remoteParameters(offer);
        assertThat(remote.legacySctpmap()).isTrue();
        assertThat(remote.sctpPort()).isEqualTo(5000);
        assertThat(remote.maxMessageSize()).isEqualTo(65536); // RFC 8841 §6.1 default
        assertThat(remote.endOfCandidates()).isTrue();
        assertThat(remote.mid()).isEqualTo("data");
        String answer = Jsep.createAnswer(offer, LOCAL, ORIGIN).toSdp();
        assertThat(answer).contains("a=group:BUNDLE data\r\n", "m=application 9 DTLS/SCTP 5000\r\n",
                "a=sctpmap:5000 webrtc-datachannel 1024\r\n", "a=mid:data\r\n", "a=setup:active\r\n");
        assertThat(answer).doesNotContain("a=sctp-port");
        JsepRemoteParameters back = Jsep.remoteParameters(SessionDescription.parse(answer));
        assertThat(back.legacySctpmap()).isTrue();
        assertThat(back.sctpPort()).isEqualTo(5000);
    }

    @Test
    void readsFirefoxStyleSessionLevelAttributes() throws Exception {
        SessionDescription offer = Fixtures.parse("firefox-style-data-offer.sdp");
        JsepRemoteParameters p = Jsep.remoteParameters(offer);
        assertThat(p.fingerprints()).singleElement().extracting(SdpAttribute.Fingerprint::hashFunction).isEqualTo("sha-256");
        assertThat(p.trickle()).isTrue();
        assertThat(p.maxMessageSize()).isEqualTo(1073741823L);
        assertThat(p.candidates()).extracting(SdpCandidate::transport).containsExactly("UDP", "TCP");
        assertThat(p.endOfCandidates()).isTrue();
        assertThat(Jsep.createAnswer(offer, LOCAL, ORIGIN).toSdp()).contains("a=setup:active\r\n", "a=mid:0\r\n");
    }

    @Test
    void answerRoleFollowsOfferedSetup() throws Exception {
        String base = Fixtures.load("chromium156-nomdns-data-offer.sdp");
        assertThat(setupOfAnswer(base.replace("a=setup:actpass", "a=setup:active"))).isEqualTo(SetupRole.PASSIVE);
        assertThat(setupOfAnswer(base.replace("a=setup:actpass", "a=setup:passive"))).isEqualTo(SetupRole.ACTIVE);
        assertThat(setupOfAnswer(base.replace("a=setup:actpass\r\n", ""))).isEqualTo(SetupRole.PASSIVE); // RFC 4145: absent = active
        SessionDescription hold = SessionDescription.parse(base.replace("a=setup:actpass", "a=setup:holdconn"));
        assertThatThrownBy(() -> Jsep.createAnswer(hold, LOCAL, ORIGIN)).isInstanceOf(JsepException.class).hasMessageContaining("holdconn");
        SessionDescription offer = SessionDescription.parse(base);
        assertThat(Jsep.remoteParameters(Jsep.createAnswer(offer, LOCAL.withAnswerRoleForActpass(SetupRole.PASSIVE), ORIGIN)).setup())
                .isEqualTo(SetupRole.PASSIVE);
    }

    private static SetupRole setupOfAnswer(String offer) throws Exception {
        return Jsep.remoteParameters(Jsep.createAnswer(SessionDescription.parse(offer), LOCAL, ORIGIN)).setup();
    }

    @Test
    void unusableDescriptionsAreJsepErrors() throws Exception {
        String base = Fixtures.load("chromium156-nomdns-data-offer.sdp");
        String[][] cases = {
            {base.replaceAll("a=ice-ufrag:[^\r]*\r\n", ""), "no a=ice-ufrag"},
            {base.replaceAll("a=ice-pwd:[^\r]*\r\n", ""), "no a=ice-pwd"},
            {base.replaceAll("a=ice-pwd:[^\r]*\r\n", "a=ice-pwd:short\r\n"), "ice-pwd must be 22-256"},
            {base.replaceAll("a=fingerprint:[^\r]*\r\n", ""), "no a=fingerprint"},
            {base.replaceAll("a=fingerprint:[^\r]*\r\n", "a=fingerprint:foo-1 AB:CD\r\n"), "known hash function"},
            {base.replace("m=application 9", "m=application 0").replaceAll("m=application \\d+ UDP", "m=application 0 UDP"), "no usable application"},
            {base.replace("webrtc-datachannel", "something-else"), "no usable application"},
            {base.replace("UDP/DTLS/SCTP", "RTP/AVP"), "no usable application"},
        };
        for (String[] c : cases) {
            SessionDescription sd = SessionDescription.parse(c[0]);
            assertThatThrownBy(() -> Jsep.remoteParameters(sd)).as(c[1]).isInstanceOf(JsepException.class).hasMessageContaining(c[1]);
            assertThatThrownBy(() -> Jsep.createAnswer(sd, LOCAL, ORIGIN)).isInstanceOf(JsepException.class);
        }
        SessionDescription legacyMismatch = SessionDescription.parse(Fixtures.load("legacy-dtls-sctp-offer.sdp")
                .replace("a=sctpmap:5000", "a=sctpmap:5001"));
        assertThatThrownBy(() -> Jsep.remoteParameters(legacyMismatch)).hasMessageContaining("sctpmap port");
    }

    @Test
    void localParametersAreValidatedOnce() {
        assertThatThrownBy(() -> new IceCredentials("abc", "abcdefghijklmnopqrstuvwx")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceCredentials("ab c", "abcdefghijklmnopqrstuvwx")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LOCAL.withMaxMessageSize(65536)).hasMessageContaining("at least 262144");
        assertThatThrownBy(() -> LOCAL.withAnswerRoleForActpass(SetupRole.ACTPASS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new JsepLocalParameters(ICE, List.of(), false, true, 5000, 262144, SetupRole.ACTIVE))
                .hasMessageContaining("fingerprint");
        assertThat(ICE.toString()).doesNotContain(ICE.pwd());
    }
}
