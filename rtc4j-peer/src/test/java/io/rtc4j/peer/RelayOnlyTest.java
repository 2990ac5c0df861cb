package io.rtc4j.peer;

import static io.rtc4j.peer.LoopbackPeers.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.net.TurnServer;
import io.rtc4j.turn.net.TurnServerSettings;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** iceTransportPolicy RELAY through rtc4j's TURN server, in-process on 127.0.0.1 (loopback peers allowed). */
class RelayOnlyTest {
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"udp", "tcp"})
    void relayOnlyPeersConnectThroughTurnAndEcho(String transport) throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        FreePorts.PortRange relays = FreePorts.relayRange(200);
        TurnMetrics metrics = new TurnMetrics();
        try (TurnServer turn = TurnServer.start(
                new TurnServerSettings(List.of(lo), 0, 0, lo, null, null, relays.min(), relays.max(), 1, 1 << 20),
                TurnServerConfig.defaults("rtc4j.test"),
                new StaticUserAuthenticator(Map.of("alice", "wonderland")),
                DefaultPeerAddressPolicy.builder().allow("127.0.0.0/8").build(),
                QuotaPolicy.unlimited(), null, metrics)) {
            int port = (transport.equals("udp") ? turn.udpAddresses() : turn.tcpAddresses()).getFirst().getPort();
            String url = "turn:127.0.0.1:" + port + "?transport=" + transport;
            RtcConfiguration relay = LoopbackPeers.config()
                    .iceServer(RtcIceServer.turn(url, "alice", "wonderland"))
                    .iceTransportPolicy(RtcConfiguration.IceTransportPolicy.RELAY)
                    .build();
            try (LoopbackPeers p = new LoopbackPeers(relay, relay)) {
                java.util.List<String> candidates = new java.util.concurrent.CopyOnWriteArrayList<>();
                p.a.onIceCandidate(c -> {
                    candidates.add(c.candidate());
                    p.post(() -> p.b.addIceCandidate(c));
                });
                p.b.onIceCandidate(c -> p.post(() -> p.a.addIceCandidate(c)));
                PeerConnectionLoopbackTest.echoOn(p.b, new java.util.concurrent.CopyOnWriteArrayList<>());
                RtcDataChannel ch = p.a.createDataChannel("echo");
                BlockingQueue<RtcDataChannelMessage> in = new LinkedBlockingQueue<>();
                ch.onMessage(in::add);
                RtcSessionDescription offer = p.a.createOffer();
                p.post(() -> {
                    p.a.setLocalDescription(offer);
                    p.b.setRemoteDescription(offer);
                    p.b.setLocalDescription(p.b.createAnswer());
                    p.a.setRemoteDescription(p.b.localDescription().orElseThrow());
                });
                await("open", Duration.ofSeconds(20), () -> ch.readyState() == RtcDataChannelState.OPEN);
                ch.send("through the relay");
                RtcDataChannelMessage m = in.poll(20, TimeUnit.SECONDS);
                assertThat(m).isNotNull();
                assertThat(m.text()).isEqualTo("through the relay");
                assertThat(candidates).filteredOn(c -> !c.isEmpty()).isNotEmpty().allMatch(c -> c.contains(" typ relay"));
                RtcStats.CandidatePairStats pair = p.a.getStats().selectedPair().orElseThrow();
                assertThat(pair.localType()).isEqualTo("relay");
                assertThat(pair.remoteType()).isEqualTo("relay");
                assertThat(metrics.packetsToPeer()).isPositive();
            }
        }
    }
}
