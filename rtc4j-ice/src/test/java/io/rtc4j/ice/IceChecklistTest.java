package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IceChecklistTest {
    static InetSocketAddress sock(String ip, int port) {
        return new InetSocketAddress(ip, port);
    }

    static LocalCandidate host(String f, String ip, int port, int localPref) {
        InetSocketAddress a = sock(ip, port);
        return new LocalCandidate(IceCandidate.udp(f, 1, IcePriority.candidate(CandidateType.HOST, localPref, 1), a, CandidateType.HOST), a);
    }

    @Test
    void candidatePriorityFollowsTheFormula() {
        // RFC 8445 §5.1.2.1: 2^24*126 + 2^8*65535 + 255 for a host candidate of component 1
        assertThat(IcePriority.candidate(CandidateType.HOST, 65535, 1)).isEqualTo(2130706431L);
        assertThat(IcePriority.candidate(CandidateType.RELAYED, 0, 2)).isEqualTo(254L);
        assertThat(IcePriority.candidate(CandidateType.SERVER_REFLEXIVE, 65535, 1))
                .isLessThan(IcePriority.candidate(CandidateType.PEER_REFLEXIVE, 0, 1));
    }

    @Test
    void pairPriorityIsSymmetricInValueAndBreaksTiesTowardsTheControllingSide() {
        assertThat(IcePriority.pair(10, 5)).isEqualTo((5L << 32) + 20 + 1);
        assertThat(IcePriority.pair(5, 10)).isEqualTo((5L << 32) + 20);
        LocalCandidate l = host("1", "192.0.2.1", 1000, 100);
        IceCandidate r = IceCandidate.udp("9", 1, 12345, sock("192.0.2.2", 2000), CandidateType.HOST);
        assertThat(CandidatePair.of(l, r, true).priority()).isEqualTo(IcePriority.pair(l.candidate().priority(), 12345));
        assertThat(CandidatePair.of(l, r, false).priority()).isEqualTo(IcePriority.pair(12345, l.candidate().priority()));
    }

    @Test
    void pairsOnlyMatchingComponentFamilyAndTransportOrderedByPriority() {
        LocalCandidate v4 = host("1", "192.0.2.1", 1000, 65535);
        LocalCandidate v6 = host("2", "2001:db8::1", 1000, 65534);
        IceCandidate r4 = IceCandidate.udp("a", 1, IcePriority.candidate(CandidateType.HOST, 65535, 1), sock("192.0.2.2", 2000), CandidateType.HOST);
        IceCandidate r4c2 = IceCandidate.udp("a", 2, IcePriority.candidate(CandidateType.HOST, 65535, 2), sock("192.0.2.2", 2001), CandidateType.HOST);
        IceCandidate r6 = IceCandidate.udp("b", 1, IcePriority.candidate(CandidateType.HOST, 65534, 1), sock("2001:db8::2", 2000), CandidateType.HOST);
        IceCandidate mdns = new IceCandidate("c", 1, IceTransport.UDP, 2122260223L, "x.local", 1, CandidateType.HOST, null, -1, null, List.of());
        List<CandidatePair> pairs = IceChecklist.form(List.of(v4, v6), List.of(r6, r4, r4c2, mdns), true, 100);
        assertThat(pairs).extracting(p -> p.local().candidate().foundation() + "-" + p.remote().foundation())
                .containsExactly("1-a", "2-b");
        assertThat(pairs.get(0).priority()).isGreaterThan(pairs.get(1).priority());
    }

    @Test
    void serverReflexiveLocalsArePrunedIntoTheirBase() {
        LocalCandidate h = host("1", "10.0.0.2", 5000, 65535);
        LocalCandidate srflx = new LocalCandidate(
                IceCandidate.udp("2", 1, IcePriority.candidate(CandidateType.SERVER_REFLEXIVE, 65535, 1), sock("203.0.113.9", 40000), CandidateType.SERVER_REFLEXIVE),
                sock("10.0.0.2", 5000));
        IceCandidate r = IceCandidate.udp("a", 1, 100, sock("198.51.100.1", 2000), CandidateType.HOST);
        List<CandidatePair> pairs = IceChecklist.form(List.of(srflx, h), List.of(r), true, 100);
        // the srflx pair would be checked from the same base to the same remote: redundant, host wins
        assertThat(pairs).hasSize(1);
        assertThat(pairs.get(0).local().candidate().type()).isEqualTo(CandidateType.HOST);
    }

    @Test
    void limitAndInitialFreezingPerFoundation() {
        LocalCandidate a = host("1", "192.0.2.1", 1000, 65535);
        LocalCandidate b = host("1", "192.0.2.3", 1000, 65000); // same foundation as a (same type and network)
        IceCandidate r = IceCandidate.udp("x", 1, 1000, sock("192.0.2.2", 2000), CandidateType.HOST);
        List<CandidatePair> pairs = IceChecklist.form(List.of(a, b), List.of(r), true, 100);
        assertThat(IceChecklist.initialStates(pairs)).containsExactly(PairState.WAITING, PairState.FROZEN);
        assertThat(IceChecklist.form(List.of(a, b), List.of(r), true, 1)).hasSize(1);
    }

    @Test
    void tcpPairsActiveWithPassiveOnly() throws Exception {
        IceCandidate active = IceCandidateParser.parse("candidate:1 1 tcp 1 192.0.2.1 9 typ host tcptype active");
        IceCandidate passive = IceCandidateParser.parse("candidate:2 1 tcp 1 192.0.2.2 5000 typ host tcptype passive");
        IceCandidate so = IceCandidateParser.parse("candidate:3 1 tcp 1 192.0.2.2 5001 typ host tcptype so");
        LocalCandidate local = new LocalCandidate(active, sock("192.0.2.1", 9));
        assertThat(IceChecklist.form(List.of(local), List.of(passive, so), true, 100))
                .extracting(p -> p.remote().foundation()).containsExactly("2");
    }
}
