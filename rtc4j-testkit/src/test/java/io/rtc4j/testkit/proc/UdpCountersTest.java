package io.rtc4j.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UdpCountersTest {
    @Test
    void udpCountersParseTheSnmpLines() {
        UdpCounters c = UdpCounters.parse(
                "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors",
                "Udp: 100 2 7 90 5 1 0 0 0");
        assertThat(c).isEqualTo(new UdpCounters(7, 5, 1));
        assertThat(c.minus(new UdpCounters(2, 2, 0))).isEqualTo(new UdpCounters(5, 3, 1));
    }

    @Test
    void socketDropsComeFromTheLineOfTheLocalPort() {
        List<String> proc = List.of(
                "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops",
                " 4625: 0100007F:8FC8 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3403867 2 00000000e9e2950f 0",
                " 6012: 0100007F:9533 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3403868 2 00000000b42eb60c 17");
        assertThat(UdpCounters.socketDrops(proc, 0x9533)).isEqualTo(17);
        assertThat(UdpCounters.socketDrops(proc, 0x8FC8)).isZero();
        assertThat(UdpCounters.socketDrops(proc, 1)).isEqualTo(-1);
    }
}
