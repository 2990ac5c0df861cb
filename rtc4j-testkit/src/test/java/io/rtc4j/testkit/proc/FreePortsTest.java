package io.rtc4j.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.proc.FreePorts.PortRange;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void portsAreDistinctAndBindableForUdpAndTcp() throws Exception {
        List<Integer> ports = FreePorts.udpAndTcp(5);
        assertThat(new HashSet<>(ports)).hasSize(5);
        for (int port : ports) {
            assertThat(port).isBetween(FreePorts.LOW, FreePorts.HIGH - 1);
            InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            try (ServerSocket tcp = new ServerSocket();
                    DatagramSocket udp = new DatagramSocket(null)) {
                tcp.bind(a);
                udp.bind(a);
            }
        }
    }

    @Test
    void relayRangesAreDisjointEvenAlignedAndAvoidSinglePorts() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            PortRange r = FreePorts.relayRange(50);
            assertThat(r.size()).isEqualTo(50);
            assertThat(r.min() % 2).isZero();
            for (int p = r.min(); p <= r.max(); p++) {
                assertThat(seen.add(p)).as("port %d handed out twice", p).isTrue();
            }
        }
        int single = FreePorts.udpAndTcp();
        assertThat(seen).doesNotContain(single);
        int pair = FreePorts.pair();
        assertThat(seen).doesNotContain(pair, pair + 1);
    }

    @Test
    void aBoundPortIsNotBindable() throws Exception {
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            assertThat(FreePorts.bindable(udp.getLocalPort())).isFalse();
        }
    }
}
