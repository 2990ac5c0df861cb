package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.client.TurnClientConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 7065 TURN URIs and the TurnServerEntry built from them. */
class TurnUriTest {
    @Test
    void parsesTheRfc7065Forms() {
        assertThat(TurnUri.parse("turn:turn.example.org")).isEqualTo(new TurnUri("turn.example.org", 3478, TransportProtocol.UDP));
        assertThat(TurnUri.parse("turn:192.0.2.1:3479?transport=udp")).isEqualTo(new TurnUri("192.0.2.1", 3479, TransportProtocol.UDP));
        assertThat(TurnUri.parse("turn:192.0.2.1?transport=tcp")).isEqualTo(new TurnUri("192.0.2.1", 3478, TransportProtocol.TCP));
        assertThat(TurnUri.parse("turns:turn.example.org")).isEqualTo(new TurnUri("turn.example.org", 5349, TransportProtocol.TLS));
        assertThat(TurnUri.parse("TURNS:turn.example.org:443?transport=TCP")).isEqualTo(new TurnUri("turn.example.org", 443, TransportProtocol.TLS));
        assertThat(TurnUri.parse("turn:[2001:db8::1]:3478?transport=tcp")).isEqualTo(new TurnUri("2001:db8::1", 3478, TransportProtocol.TCP));
        assertThat(TurnUri.parse("turn:[2001:db8::1]")).isEqualTo(new TurnUri("2001:db8::1", 3478, TransportProtocol.UDP));
    }

    @Test
    void printsBackWhatItParses() {
        for (String s : new String[] {"turn:h:1?transport=udp", "turn:h:2?transport=tcp", "turns:h:3?transport=tcp",
                "turn:[::1]:4?transport=tcp"}) {
            assertThat(TurnUri.parse(s).toString()).isEqualTo(s);
            assertThat(TurnUri.parse(TurnUri.parse(s).toString())).isEqualTo(TurnUri.parse(s));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "turn", "stun:h", "turn:", "turn:h:", "turn:h:0", "turn:h:65536", "turn:h:12a",
            "turn:h:123456", "turn://h", "turn:user@h", "turn:h/path", "turn:h?transport=sctp", "turn:h?foo=bar",
            "turns:h?transport=udp", "turn:2001:db8::1", "turn:[::1", "turn:[::1]x", "turn:?transport=tcp"})
    void rejectsMalformedUris(String uri) {
        assertThatThrownBy(() -> TurnUri.parse(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEntryFromAUriCarriesTransportTlsNameAndPort() throws Exception {
        InetAddress address = InetAddress.getByName("127.0.0.1");
        IceUdpConfig.TurnServerEntry tls = IceUdpConfig.TurnServerEntry.of(TurnUri.parse("turns:turn.example.org"), address, "u", "p");
        assertThat(tls.transport()).isEqualTo(TransportProtocol.TLS);
        assertThat(tls.server()).isEqualTo(new InetSocketAddress(address, 5349));
        assertThat(tls.tlsServerName()).isEqualTo("turn.example.org");
        assertThat(tls.tlsContext()).isNotNull();
        assertThat(tls.client().retransmission()).isInstanceOf(io.rtc4j.stun.StunRetransmission.Reliable.class);
        IceUdpConfig.TurnServerEntry tcp = IceUdpConfig.TurnServerEntry.of(TurnUri.parse("turn:h?transport=tcp"), address, "u", "p");
        assertThat(tcp.transport()).isEqualTo(TransportProtocol.TCP);
        assertThat(tcp.tlsContext()).isNull();
        assertThat(tcp.tlsServerName()).isNull();
    }

    @Test
    void anEntryIsValidatedOnce() {
        InetSocketAddress s = new InetSocketAddress(InetAddress.getLoopbackAddress(), 3478);
        TurnClientConfig tcp = TurnClientConfig.builder("u", "p").transport(TransportProtocol.TCP).build();
        TurnClientConfig tls = TurnClientConfig.builder("u", "p").transport(TransportProtocol.TLS).build();
        assertThatThrownBy(() -> new IceUdpConfig.TurnServerEntry(s, tls, null, "h", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceUdpConfig.TurnServerEntry(s, tcp, null, "h", Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceUdpConfig.TurnServerEntry(s, tcp).withConnectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceUdpConfig.TurnServerEntry(InetSocketAddress.createUnresolved("h", 1), tcp))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new IceUdpConfig.TurnServerEntry(s, tls).tlsServerName()).isEqualTo("127.0.0.1");
    }
}
