package io.rtc4j.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.peer.RtcSessionDescription;
import io.rtc4j.sdp.SdpCandidate;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class RelayedSignalingTest {
    @Test
    void rewritesUdpIpv4HostCandidatesToTheRelayKeepingFoundationAndPriority() {
        SdpCandidate c = RelayedSignaling.rewritable("candidate:1234 1 udp 2130706431 127.0.0.1 50000 typ host generation 0");
        assertThat(c).isNotNull();
        SdpCandidate r = RelayedSignaling.rewrite(c, new InetSocketAddress("127.0.0.1", 40000));
        assertThat(r.toCandidateString()).isEqualTo("candidate:1234 1 udp 2130706431 127.0.0.1 40000 typ host generation 0");
    }

    @Test
    void withholdsTcpIpv6AndNonHostCandidates() {
        assertThat(RelayedSignaling.rewritable("candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active")).isNull();
        assertThat(RelayedSignaling.rewritable("candidate:1 1 udp 2130706431 ::1 50000 typ host")).isNull();
        assertThat(RelayedSignaling.rewritable("candidate:1 1 udp 1694498815 192.0.2.1 50000 typ srflx raddr 127.0.0.1 rport 5")).isNull();
        assertThat(RelayedSignaling.rewritable("candidate:1 1 udp 2130706431 abc.local 50000 typ host")).isNull();
        assertThat(RelayedSignaling.rewritable("not a candidate")).isNull();
    }

    @Test
    void stripsCandidateLinesFromTheSdp() {
        String sdp = "v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n"
                + "a=candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host\r\na=sctp-port:5000\r\n";
        RtcSessionDescription d = RelayedSignaling.withoutCandidates(RtcSessionDescription.offer(sdp));
        assertThat(d.sdp()).doesNotContain("candidate").contains("a=sctp-port:5000\r\n").startsWith("v=0\r\n");
    }
}
