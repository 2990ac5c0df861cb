package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.peer.IceServerUrl.Scheme;
import io.rtc4j.peer.IceServerUrl.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7064 (stun/stuns) and RFC 7065 (turn/turns) URI parsing, and RtcIceServer/RtcConfiguration validation. */
class IceServerUrlTest {
    @Test
    void parsesTheFormsOfRfc7064And7065WithDefaults() {
        assertThat(IceServerUrl.parse("stun:stun.example.org"))
                .isEqualTo(new IceServerUrl(Scheme.STUN, "stun.example.org", 3478, Transport.UDP));
        assertThat(IceServerUrl.parse("stuns:stun.example.org"))
                .isEqualTo(new IceServerUrl(Scheme.STUNS, "stun.example.org", 5349, Transport.TCP));
        assertThat(IceServerUrl.parse("turn:127.0.0.1:3479?transport=udp"))
                .isEqualTo(new IceServerUrl(Scheme.TURN, "127.0.0.1", 3479, Transport.UDP));
        assertThat(IceServerUrl.parse("TURN:turn.example.org?Transport=TCP"))
                .isEqualTo(new IceServerUrl(Scheme.TURN, "turn.example.org", 3478, Transport.TCP));
        assertThat(IceServerUrl.parse("turns:turn.example.org"))
                .isEqualTo(new IceServerUrl(Scheme.TURNS, "turn.example.org", 5349, Transport.TCP));
        assertThat(IceServerUrl.parse("turns:turn.example.org:443?transport=tcp").port()).isEqualTo(443);
        assertThat(IceServerUrl.parse("turn:[::1]:3478")).isEqualTo(new IceServerUrl(Scheme.TURN, "::1", 3478, Transport.UDP));
        assertThat(IceServerUrl.parse("stun:[2001:db8::1]").host()).isEqualTo("2001:db8::1");
        assertThat(IceServerUrl.parse("turn:[::1]:3478").toString()).isEqualTo("turn:[::1]:3478?transport=udp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "stun", "stun:", "http://x", "stun://host", "stun:host?transport=udp", "turn:host?transport=sctp",
            "turn:host?foo=bar", "turns:host?transport=udp", "turn:user@host", "turn:host:0", "turn:host:65536", "turn:host:",
            "turn:host:12a", "turn:[::1", "turn:[zz::1]:3478", "turn:[::1]x", "stun:host/path", "stun:ho_st", "stun:a..b",
            "turn:host:123456"})
    void rejectsWhatTheRfcsDoNotAllow(String url) {
        assertThatThrownBy(() -> IceServerUrl.parse(url)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void turnServersNeedCredentialsAndRelayPolicyNeedsATurnServer() {
        assertThatThrownBy(() -> new RtcIceServer(List.of("turn:127.0.0.1"), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("username");
        assertThat(RtcIceServer.stun("stun:127.0.0.1").username()).isNull();
        assertThat(RtcIceServer.turn("turn:127.0.0.1", "u", "p").toString()).doesNotContain("p]").contains("<hidden>");
        assertThatThrownBy(() -> RtcConfiguration.builder().iceTransportPolicy(RtcConfiguration.IceTransportPolicy.RELAY).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RELAY");
        assertThatThrownBy(() -> RtcConfiguration.builder().iceTransportPolicy(RtcConfiguration.IceTransportPolicy.RELAY)
                .iceServer(RtcIceServer.stun("stun:127.0.0.1")).build()).isInstanceOf(IllegalArgumentException.class);
        RtcConfiguration ok = RtcConfiguration.builder().iceTransportPolicy(RtcConfiguration.IceTransportPolicy.RELAY)
                .iceServer(RtcIceServer.turn("turn:127.0.0.1:3478?transport=udp", "u", "p"))
                .iceServer(new RtcIceServer(List.of("turns:127.0.0.1", "turn:127.0.0.1?transport=tcp"), "u", "p")).build();
        IceServers s = IceServers.resolve(ok);
        assertThat(s.turn()).extracting(t -> t.transport().name()).containsExactly("UDP", "TLS", "TCP");
        assertThat(s.turn().get(1).server().getPort()).isEqualTo(5349);
        assertThat(s.turn().get(1).tlsServerName()).isEqualTo("127.0.0.1");
        assertThat(s.stun()).isEmpty();
        assertThat(s.skipped()).isEmpty();
        assertThat(IceServers.resolve(RtcConfiguration.builder().iceServer(RtcIceServer.stun("stuns:127.0.0.1")).build())
                .skipped()).containsExactly("stuns:127.0.0.1:5349");
    }

    @Test
    void dataChannelInitIsValidatedOnce() {
        assertThatThrownBy(() -> RtcDataChannelInit.DEFAULT.withMaxRetransmits(1).withMaxPacketLifeTime(java.time.Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RtcDataChannelInit(true, null, null, "", true, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RtcDataChannelInit(true, null, null, "", false, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtcDataChannelInit.negotiated(65535)).isInstanceOf(IllegalArgumentException.class);
        assertThat(RtcDataChannelInit.negotiated(0).id()).isZero();
    }
}
