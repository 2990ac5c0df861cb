package io.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/** Every fixture (real Chromium 156 captures and hand-written ones) parses and writes back byte for byte. */
class SdpRoundTripTest {
    static final java.util.List<String> FIXTURES = Fixtures.ALL;

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void roundTripsByteForByte(String name) throws Exception {
        String text = Fixtures.load(name);
        assertThat(text).contains("\r\n");
        SessionDescription sd = SessionDescription.parse(text);
        assertThat(sd.toSdp()).isEqualTo(text);
        assertThat(SessionDescription.parse(sd.toSdp())).isEqualTo(sd);
    }

    @ParameterizedTest
    @FieldSource("FIXTURES")
    void typesEveryAttributeTheBrowserSends(String name) throws Exception {
        SessionDescription sd = Fixtures.parse(name);
        var unknown = new java.util.TreeSet<String>();
        sd.attributes().stream().filter(a -> a instanceof SdpAttribute.Unknown).forEach(a -> unknown.add(a.name()));
        sd.media().forEach(m -> m.attributes().stream().filter(a -> a instanceof SdpAttribute.Unknown).forEach(a -> unknown.add(a.name())));
        // What stays untyped is what rtc4j does not interpret: everything else became a record.
        assertThat(unknown).isSubsetOf("extmap-allow-mixed", "msid-semantic", "rtcp", "rtcp-rsize", "rtcp-xr");
    }

    @Test
    void acceptsBareLineFeedsAndWritesCrlf() throws Exception {
        String lf = Fixtures.load("legacy-dtls-sctp-lf-offer.sdp");
        assertThat(lf).doesNotContain("\r");
        SessionDescription sd = SessionDescription.parse(lf);
        assertThat(sd.toSdp()).isEqualTo(Fixtures.load("legacy-dtls-sctp-offer.sdp"));
        assertThat(sd).isEqualTo(Fixtures.parse("legacy-dtls-sctp-offer.sdp"));
    }

    @Test
    void chromiumAudioVideoDataOfferIsTyped() throws Exception {
        SessionDescription sd = Fixtures.parse("chromium156-nomdns-av-data-offer.sdp");
        assertThat(sd.bundleGroup().orElseThrow().mids()).containsExactly("0", "1", "2");
        assertThat(sd.media()).extracting(m -> m.mediaLine().media()).containsExactly("audio", "video", "application");
        MediaDescription audio = sd.media().get(0);
        assertThat(audio.first(SdpAttribute.RtpMap.class).orElseThrow())
                .isEqualTo(new SdpAttribute.RtpMap(111, "opus", 48000, "2"));
        assertThat(audio.all(SdpAttribute.Direction.class)).containsExactly(new SdpAttribute.Direction(MediaDirection.SENDRECV));
        assertThat(audio.first(SdpAttribute.RtcpMux.class)).isPresent();
        assertThat(audio.all(SdpAttribute.ExtMap.class)).first()
                .isEqualTo(new SdpAttribute.ExtMap(1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level", null));
        MediaDescription video = sd.media().get(1);
        assertThat(video.all(SdpAttribute.RtcpFb.class)).contains(new SdpAttribute.RtcpFb("96", "nack", "pli"),
                new SdpAttribute.RtcpFb("96", "nack", null));
        assertThat(video.first(SdpAttribute.SsrcGroup.class).orElseThrow().semantics()).isEqualTo("FID");
        assertThat(video.all(SdpAttribute.Ssrc.class)).allSatisfy(s -> assertThat(s.attribute()).isIn("cname", "msid"));
        MediaDescription app = sd.media().get(2);
        assertThat(app.mediaLine()).isEqualTo(new MediaLine("application", app.mediaLine().port(), 0, "UDP/DTLS/SCTP",
                java.util.List.of("webrtc-datachannel")));
        assertThat(app.first(SdpAttribute.SctpPort.class).orElseThrow().port()).isEqualTo(5000);
        assertThat(app.first(SdpAttribute.MaxMessageSize.class).orElseThrow().size()).isEqualTo(262144);
        assertThat(app.first(SdpAttribute.Setup.class).orElseThrow().role()).isEqualTo(SetupRole.ACTPASS);
        assertThat(app.first(SdpAttribute.Fingerprint.class).orElseThrow().digest()).hasSize(32);
        assertThat(app.candidates()).isNotEmpty().allSatisfy(c -> assertThat(c.address()).isIn("127.0.0.1", "10.99.0.1"));
    }

    @Test
    void chromiumMdnsCandidatesAreTyped() throws Exception {
        SessionDescription sd = Fixtures.parse("chromium156-mdns-data-offer.sdp");
        SdpCandidate c = sd.media().get(0).candidates().get(0);
        assertThat(c.isMdns()).isTrue();
        assertThat(c.address()).endsWith(".local");
        assertThat(c.candidateType()).isEqualTo("host");
        assertThat(c.extension("network-cost")).isEqualTo("999");
    }
}
