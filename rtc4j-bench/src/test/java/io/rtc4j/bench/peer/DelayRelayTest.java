package io.rtc4j.bench.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** DelayRelay on real loopback sockets. Assertions are on counts and lower bounds, never on elapsed time limits. */
class DelayRelayTest {
    private static final long MS = 1_000_000L;

    private static DelayRelay relay(LinkShape shape) throws IOException {
        return new DelayRelay(shape, shape, 1024, 100, 10 * MS);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertThat(condition.getAsBoolean()).as(what).isTrue();
    }

    private static DatagramChannel socket() throws IOException {
        DatagramChannel c = DatagramChannel.open();
        c.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return c;
    }

    @Test
    void pingsComeBackNoSoonerThanTheRoundTripDelay() throws Exception {
        try (DelayRelay relay = relay(LinkShape.delay(20 * MS))) {
            List<Double> rtts = RelayPing.roundTripsMs(relay, 5, Duration.ofSeconds(5));
            assertThat(rtts).hasSize(5).allSatisfy(r -> assertThat(r).isGreaterThanOrEqualTo(40.0));
            // the relay counts a datagram after its send returns: the pong can be read before the count moves
            await(() -> relay.stats().bToA().forwarded() == 5, "the fifth pong counted");
            DelayRelay.Stats s = relay.stats();
            assertThat(s.aToB().forwarded()).isEqualTo(5);
            assertThat(s.bToA().forwarded()).isEqualTo(5);
            assertThat(s.aToB().relayDrops() + s.bToA().relayDrops()).isZero();
        }
    }

    @Test
    void forwardsOnlyFromTheConfiguredEndpointAndOnlyOnceBothAreKnown() throws Exception {
        try (DelayRelay relay = relay(LinkShape.delay(0)); DatagramChannel a = socket(); DatagramChannel b = socket();
                DatagramChannel stranger = socket()) {
            ByteBuffer one = ByteBuffer.wrap(new byte[] {1});
            a.send(one.duplicate(), relay.addressForA()); // B unknown yet
            relay.endpointA((InetSocketAddress) a.getLocalAddress());
            await(() -> relay.stats().aToB().unrouted() == 1, "unrouted before B was known");
            relay.endpointB((InetSocketAddress) b.getLocalAddress());
            stranger.send(one.duplicate(), relay.addressForA());
            await(() -> relay.stats().aToB().foreign() == 1, "foreign source dropped");
            a.send(ByteBuffer.wrap(new byte[] {7, 8}), relay.addressForA());
            ByteBuffer in = ByteBuffer.allocate(16);
            InetSocketAddress from = (InetSocketAddress) b.receive(in); // blocking: the relay sends it at once
            assertThat(from).isEqualTo(relay.addressForB());
            assertThat(in.flip().remaining()).isEqualTo(2);
            assertThat(in.get(1)).isEqualTo((byte) 8);
            await(() -> relay.stats().aToB().forwarded() == 1, "the datagram counted once sent"); // counted after send
        }
    }

    @Test
    void learnsAnUnknownEndpointFromItsFirstDatagram() throws Exception {
        try (DelayRelay relay = relay(LinkShape.delay(0)); DatagramChannel a = socket(); DatagramChannel b = socket()) {
            a.send(ByteBuffer.wrap(new byte[] {1}), relay.addressForA()); // A latched; B unknown: unrouted
            await(() -> relay.stats().aToB().unrouted() == 1, "A's first datagram unrouted");
            b.send(ByteBuffer.wrap(new byte[] {2}), relay.addressForB()); // B latched, A known: forwarded
            ByteBuffer in = ByteBuffer.allocate(8);
            assertThat(a.receive(in)).isEqualTo(relay.addressForA());
            assertThat(in.get(0)).isEqualTo((byte) 2);
            a.send(ByteBuffer.wrap(new byte[] {3}), relay.addressForA()); // now both are known
            in.clear();
            assertThat(b.receive(in)).isEqualTo(relay.addressForB());
            assertThat(in.get(0)).isEqualTo((byte) 3);
            relay.clearEndpoints();
            b.send(ByteBuffer.wrap(new byte[] {4}), relay.addressForB()); // B latched again, A forgotten
            await(() -> relay.stats().bToA().unrouted() == 1, "B's datagram unrouted after clearEndpoints");
        }
    }

    @Test
    void lossDropsAreCountedAndEverythingElseArrives() throws Exception {
        LinkShape lossy = new LinkShape(MS, 0, 0, 0, 0.3, 7);
        try (DelayRelay relay = relay(lossy); DatagramChannel a = socket(); DatagramChannel b = socket()) {
            relay.endpointA((InetSocketAddress) a.getLocalAddress());
            relay.endpointB((InetSocketAddress) b.getLocalAddress());
            for (int i = 0; i < 200; i++) {
                a.send(ByteBuffer.wrap(new byte[] {(byte) i}), relay.addressForA());
                if (i % 50 == 49) {
                    Thread.sleep(5); // stay well within the relay's socket buffer
                }
            }
            await(() -> relay.stats().aToB().accepted() + relay.stats().aToB().lost() == 200, "all 200 decided");
            DelayRelay.DirectionStats s = relay.stats().aToB();
            assertThat(s.lost()).isBetween(30L, 90L);
            b.configureBlocking(false);
            long[] got = {0};
            await(() -> {
                try {
                    while (b.receive(ByteBuffer.allocate(8)) != null) {
                        got[0]++;
                    }
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                return got[0] == s.accepted();
            }, "every accepted datagram arrived");
            await(() -> relay.stats().aToB().forwarded() == s.accepted(), "every one counted"); // counted after send
        }
    }

    @Test
    void closeStopsBothThreads() throws Exception {
        DelayRelay relay = relay(LinkShape.delay(MS));
        relay.close();
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("delay-relay") && t.isAlive()), "relay threads ended");
    }
}
