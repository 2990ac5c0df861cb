package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.ice.IceAgentConfig;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * 200k hostile datagrams from 64 source ports against the real driver and the real shared-port mux: every
 * datagram that reached the socket is a counted drop, no table grows, no candidate is learned, and the agent
 * still connects to its real peer afterwards.
 */
class IceUdpFloodTest {
    static final int TOTAL = 200_000;
    static final int SOURCES = 64;
    static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void driverCountsTheFloodAsDropsAndStillConnects() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        TestPeer victimPeer = new TestPeer();
        try (IceUdpDriver victim = IceUdpDriver.start(
                IceUdpConfig.builder(IceRole.CONTROLLED).hostAddress(lo).socketBufferBytes(4 << 20).build(), victimPeer)) {
            List<byte[]> packets = Flood.packets(victim.localCredentials().ufrag(), 3000, 1);
            long sent = Flood.send(victim.hostAddresses().getFirst(), packets, TOTAL, SOURCES);
            assertThat(sent).isEqualTo(TOTAL);
            IceDriverStats s = settled(victim::stats);
            System.out.println("driver flood: sent " + sent + ", " + s);
            assertThat(s.datagramsReceived()).isPositive();
            assertThat(s.droppedMalformed() + s.droppedOversize() + s.droppedByAgent() + s.droppedUnrouted())
                    .as("%s", s).isEqualTo(s.datagramsReceived());
            assertThat(s.droppedMalformed()).isPositive();
            assertThat(s.droppedOversize()).isPositive();
            assertThat(s.droppedByAgent()).isPositive();
            assertThat(s.droppedUnrouted()).isPositive(); // RTP junk from strangers
            assertThat(s.applicationReceived()).isZero();
            assertThat(s.listenerErrors()).isZero();
            assertThat(victimPeer.events).noneMatch(e -> e instanceof IceDriverEvent.RemoteCandidateLearned
                    || e instanceof IceDriverEvent.StateChanged || e instanceof IceDriverEvent.SelectedPairChanged);

            TestPeer realPeer = new TestPeer();
            try (IceUdpDriver peer = IceUdpDriver.start(IceUdpConfig.builder(IceRole.CONTROLLING).hostAddress(lo).build(), realPeer)) {
                victim.setRemoteCredentials(peer.localCredentials());
                peer.setRemoteCredentials(victim.localCredentials());
                victimPeer.signalTo(peer);
                realPeer.signalTo(victim);
                TestPeer.awaitNominated(peer, realPeer, victim, victimPeer, WAIT);
                assertThat(victim.selectedPair().orElseThrow().remote().socketAddress())
                        .contains(peer.hostAddresses().getFirst());
                TestPeer.exchange(peer, victimPeer, new byte[] {(byte) 0x80, 1, 2, 3}, WAIT);
            }
        }
    }

    @Test
    void muxCountsTheFloodAsDropsKeepsItsTableEmptyAndStillConnects() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        try (IceUdpMux mux = IceUdpMux.start(IceUdpMuxConfig.defaults(new InetSocketAddress(lo, 0)).withLimits(16, 256, Duration.ofSeconds(60)))) {
            TestPeer serverPeer = new TestPeer();
            IceConnection server = mux.addAgent(IceAgentConfig.defaults(IceRole.CONTROLLED),
                    IceCredentials.random(new SplittableRandom(5)), serverPeer);
            List<byte[]> packets = Flood.packets(server.localCredentials().ufrag(), 3000, 2);
            assertThat(Flood.send(mux.localAddress(), packets, TOTAL, SOURCES)).isEqualTo(TOTAL);
            IceDriverStats m = settled(mux::stats);
            IceDriverStats a = server.stats();
            System.out.println("mux flood: sent " + TOTAL + ", mux " + m + ", agent " + a);
            assertThat(m.datagramsReceived()).isPositive();
            // the mux drops what it cannot route; what names our agent's ufrag reaches it and is refused there
            assertThat(m.droppedOversize() + m.droppedUnrouted() + a.droppedByAgent()).as("%s / %s", m, a)
                    .isEqualTo(m.datagramsReceived());
            assertThat(a.droppedByAgent()).isPositive();
            assertThat(m.sourceTableSize()).isZero(); // no stranger earned a 5-tuple entry
            assertThat(serverPeer.events).noneMatch(e -> e instanceof IceDriverEvent.RemoteCandidateLearned);

            TestPeer clientPeer = new TestPeer();
            try (IceUdpDriver client = IceUdpDriver.start(IceUdpConfig.builder(IceRole.CONTROLLING).hostAddress(lo).build(), clientPeer)) {
                server.setRemoteCredentials(client.localCredentials());
                client.setRemoteCredentials(server.localCredentials());
                serverPeer.signalTo(client);
                clientPeer.signalTo(server);
                TestPeer.awaitNominated(client, clientPeer, server, serverPeer, WAIT);
                TestPeer.exchange(client, serverPeer, new byte[] {(byte) 0x80, 4, 5, 6}, WAIT);
                assertThat(mux.stats().sourceTableSize()).isBetween(1, 2);
            }
        }
    }

    /** The stats once the socket has been drained: two equal readings 200 ms apart (bounded by WAIT). */
    static IceDriverStats settled(Supplier<IceDriverStats> stats) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        IceDriverStats last = stats.get();
        while (System.nanoTime() < end) {
            Thread.sleep(200);
            IceDriverStats now = stats.get();
            if (now.equals(last)) {
                return now;
            }
            last = now;
        }
        throw new AssertionError("the driver never went quiet: " + last);
    }
}
