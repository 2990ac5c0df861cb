package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class IceCandidateParserTest {
    @Test
    void chromeServerReflexiveWithExtensions() throws Exception {
        String line = "candidate:842163049 1 udp 1677729535 203.0.113.5 51234 typ srflx raddr 192.168.1.10 rport 51234 "
                + "generation 0 ufrag EsAw network-cost 999";
        IceCandidate c = IceCandidateParser.parse(line);
        assertThat(c.foundation()).isEqualTo("842163049");
        assertThat(c.component()).isEqualTo(1);
        assertThat(c.transport()).isEqualTo(IceTransport.UDP);
        assertThat(c.priority()).isEqualTo(1677729535L);
        assertThat(c.socketAddress()).contains(new InetSocketAddress("203.0.113.5", 51234));
        assertThat(c.type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        assertThat(c.relatedSocketAddress()).contains(new InetSocketAddress("192.168.1.10", 51234));
        assertThat(c.extension("ufrag")).contains("EsAw");
        assertThat(c.extension("network-cost")).contains("999");
        assertThat(c.toSdp()).isEqualTo(line);
    }

    @Test
    void chromeMdnsHostCandidateIsKeptAsAName() throws Exception {
        IceCandidate c = IceCandidateParser.parse(
                "a=candidate:1 1 udp 2122260223 4e0b3c1e-5c55-4a4a-9b1c-0e7a3c4b9d2f.local 54321 typ host generation 0");
        assertThat(c.isMdns()).isTrue();
        assertThat(c.socketAddress()).isEmpty(); // never resolved through DNS
        assertThat(c.type()).isEqualTo(CandidateType.HOST);
    }

    @Test
    void firefoxUppercaseTransportAndIpv6() throws Exception {
        IceCandidate c = IceCandidateParser.parse("candidate:0 1 UDP 2122252543 2001:db8::5 57015 typ host");
        assertThat(c.socketAddress()).contains(new InetSocketAddress("2001:db8::5", 57015));
        assertThat(c.toSdp()).isEqualTo("candidate:0 1 udp 2122252543 2001:db8::5 57015 typ host");
    }

    @Test
    void tcpCandidatesCarryTheirTcptype() throws Exception {
        IceCandidate c = IceCandidateParser.parse("candidate:1 1 TCP 2105458943 192.168.1.10 9 typ host tcptype active");
        assertThat(c.transport()).isEqualTo(IceTransport.TCP);
        assertThat(c.tcpType()).isEqualTo(TcpType.ACTIVE);
        assertThatThrownBy(() -> IceCandidateParser.parse("candidate:1 1 TCP 2105458943 192.168.1.10 9 typ host"))
                .isInstanceOf(IceParseException.class);
    }

    @Test
    void relayAndPeerReflexiveTypes() throws Exception {
        assertThat(IceCandidateParser.parse("candidate:3 2 udp 16777214 198.51.100.7 3478 typ relay raddr 0.0.0.0 rport 0").type())
                .isEqualTo(CandidateType.RELAYED);
        assertThat(IceCandidateParser.parse("candidate:4 1 udp 1845501695 198.51.100.8 1 typ prflx").type())
                .isEqualTo(CandidateType.PEER_REFLEXIVE);
    }

    @Test
    void malformedLinesAreRejectedWithAReason() {
        String[] bad = {
            null,
            "",
            "candidate:",
            "foo:1 1 udp 1 1.2.3.4 1 typ host",
            "candidate:1 1 udp 1 1.2.3.4 1 host",
            "candidate:1 0 udp 1 1.2.3.4 1 typ host",
            "candidate:1 257 udp 1 1.2.3.4 1 typ host",
            "candidate:1 1 sctp 1 1.2.3.4 1 typ host",
            "candidate:1 1 udp 0 1.2.3.4 1 typ host",
            "candidate:1 1 udp 2147483648 1.2.3.4 1 typ host",
            "candidate:1 1 udp 1 1.2.3.4 65536 typ host",
            "candidate:1 1 udp 1 1.2.3.4 -1 typ host",
            "candidate:1 1 udp 1 1.2.3.4 1 typ nat",
            "candidate:1 1 udp 1 1.2.3.4 1 typ srflx raddr 1.2.3.4",
            "candidate:1 1 udp 1 1.2.3.4 1 typ host generation",
            "candidate:f@o 1 udp 1 1.2.3.4 1 typ host",
            "candidate:123456789012345678901234567890123 1 udp 1 1.2.3.4 1 typ host",
            "candidate:1 1 udp 99999999999 1.2.3.4 1 typ host",
            "candidate:1 1 udp 1 1.2.3.4 1 typ host " + "x".repeat(2000),
            // control characters inside tokens (found by Jazzer: NUL vanished in a trim, so the line changed)
            "candidate:1 1 udp 1 1.2.3.4 1 typ host\u0000",
            "candidate:1 1 udp 1 192.1\u00008.1.1 1 typ host",
            "candidate:1 1 udp 1 1.2.3.4 1 typ host network-id\t1",
            "candidate:1 1 udp 1 1.2.3.4 1 typ host ufrag \u00e9t\u00e9",
        };
        for (String line : bad) {
            assertThatThrownBy(() -> IceCandidateParser.parse(line)).as(String.valueOf(line)).isInstanceOf(IceParseException.class);
        }
    }

    @Test
    void namesThatAreNotLiteralsAreNeverResolved() throws Exception {
        IceCandidate c = IceCandidateParser.parse("candidate:1 1 udp 1 example.org 1 typ host");
        assertThat(c.socketAddress()).isEmpty();
        assertThat(c.isMdns()).isFalse();
        assertThat(IceCandidateParser.parse("candidate:1 1 udp 1 1.2.3.256 1 typ host").socketAddress()).isEmpty();
    }
}
