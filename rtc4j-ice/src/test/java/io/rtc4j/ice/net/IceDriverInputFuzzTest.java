package io.rtc4j.ice.net;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtc4j.ice.IceAgent;
import io.rtc4j.ice.IceAgentConfig;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceGatherer;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.IceTurnRelay;
import io.rtc4j.turn.client.TurnClientConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The driver's receive path on arbitrary datagrams, without sockets: RFC 7983 demux, gatherer, TURN relay,
 * agent and the application hand-off, plus the mux's USERNAME scan. Nothing may throw; every datagram ends
 * as a counted drop or a delivery. The session is driven directly, as its loop thread would.
 */
class IceDriverInputFuzzTest {
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 40000);
    static final InetSocketAddress STUN = new InetSocketAddress("127.0.0.1", 3478);
    static final InetSocketAddress TURN = new InetSocketAddress("127.0.0.1", 3479);

    @FuzzTest(maxDuration = "30s")
    void receive(FuzzedDataProvider in) throws IOException {
        DriverCounters counters = new DriverCounters();
        UdpEventLoop loop = new UdpEventLoop("fuzz", InstantSource.fixed(Instant.EPOCH), 2048, 16, counters);
        try {
            SplittableRandom random = new SplittableRandom(1);
            IceAgent agent = new IceAgent(IceAgentConfig.defaults(IceRole.CONTROLLED),
                    new IceCredentials("fuzz", "fuzzfuzzfuzzfuzzfuzzfuzz"), random);
            agent.setRemoteCredentials(Instant.EPOCH, new IceCredentials("peer", "peerpeerpeerpeerpeerpeer"));
            agent.addRemoteCandidate(Instant.EPOCH, io.rtc4j.ice.IceCandidate.udp("1", 1, 1000,
                    new InetSocketAddress("127.0.0.1", 50000), io.rtc4j.ice.CandidateType.HOST));
            IceGatherer gatherer = new IceGatherer(List.of(LOCAL), List.of(STUN), 1, random);
            IceSession s = new IceSession(loop, agent, gatherer, in.consumeBoolean(), (from, to, data) -> true,
                    new IceDriverListener() {
                        @Override
                        public void onEvent(IceDriverEvent event) {}
                    },
                    counters, to -> {}, () -> {});
            s.addRelay(new IceTurnRelay(LOCAL, TURN, TurnClientConfig.builder("u", "p").build(), 1, "r1", random), TURN);
            s.start(Instant.EPOCH);
            Instant now = Instant.EPOCH;
            for (int i = 0; i < 8 && in.remainingBytes() > 0; i++) {
                InetSocketAddress source = switch (in.consumeInt(0, 2)) {
                    case 0 -> STUN;
                    case 1 -> TURN;
                    default -> new InetSocketAddress("127.0.0.1", 50000 + in.consumeInt(0, 3));
                };
                byte[] datagram = in.consumeBytes(in.consumeInt(0, 1500));
                ByteBuffer b = ByteBuffer.wrap(datagram);
                IceUdpMux.recipientUfrag(b.duplicate());
                s.received(now, LOCAL, source, b);
                now = now.plusMillis(in.consumeInt(0, 2000));
                s.fire(now);
            }
        } finally {
            loop.close();
        }
    }
}
