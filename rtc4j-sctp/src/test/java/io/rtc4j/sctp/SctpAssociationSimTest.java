package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.sctp.SctpEvent.AssociationClosed;
import io.rtc4j.sctp.SctpEvent.AssociationEstablished;
import io.rtc4j.sctp.SctpEvent.MessageReceived;
import io.rtc4j.testkit.net.SimLinkConditions;
import io.rtc4j.testkit.net.SimNetwork;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Two associations on the virtual network and clock: setup, delivery under loss, PR-SCTP, reset, teardown. */
class SctpAssociationSimTest {
    static final Duration BOUND = Duration.ofMinutes(30);

    static SctpConfig config() {
        return SctpConfig.builder().remoteMaxMessageSize(256 * 1024).build();
    }

    /** Uplink of a 100 ms RTT path (25 ms on each of the four link directions) with this loss each way. */
    static SimLinkConditions lossy(double loss) {
        return SimLinkConditions.builder().delay(Duration.ofMillis(25)).loss(loss)
                .reorder(loss > 0 ? 0.05 : 0, Duration.ofMillis(10)).build();
    }

    /** Uplinks get {@code link}; downlinks only its delay, so a path loses what one link does. */
    static SimSctpPeer[] connected(SimNetwork net, SimLinkConditions link, boolean simultaneous) {
        return connected(net, link, simultaneous, config(), config());
    }

    static SimSctpPeer[] connected(SimNetwork net, SimLinkConditions link, boolean simultaneous, SctpConfig a,
            SctpConfig b) {
        SimSctpPeer[] p = SimSctpPeer.pair(net, a, b);
        for (SimSctpPeer peer : p) {
            peer.host().setUplink(link);
            peer.host().setDownlink(SimLinkConditions.delay(link.delay()));
        }
        p[0].connect();
        if (simultaneous) {
            p[1].connect();
        }
        assertThat(net.runUntil(() -> p[0].has(AssociationEstablished.class) && p[1].has(AssociationEstablished.class),
                BOUND)).as("established").isTrue();
        return p;
    }

    static byte[] message(int seq, int size) {
        byte[] b = new byte[Math.max(size, 4)];
        ByteBuffer.wrap(b).putInt(seq);
        for (int i = 4; i < b.length; i++) {
            b[i] = (byte) (seq * 31 + i);
        }
        return b;
    }

    static int seqOf(byte[] b) {
        return ByteBuffer.wrap(b).getInt();
    }

    @Test
    void clientAndServerEstablish() {
        SimNetwork net = new SimNetwork(1);
        SimSctpPeer[] p = connected(net, SimLinkConditions.delay(Duration.ofMillis(5)), false);
        assertThat(p[0].association.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
        assertThat(p[1].association.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
        AssociationEstablished e = p[0].events(AssociationEstablished.class).get(0);
        assertThat(e.peerSupportsPartialReliability()).isTrue();
        assertThat(e.peerSupportsStreamReset()).isTrue();
        assertThat(e.outboundStreams()).isEqualTo(65535);
    }

    @Test
    void simultaneousOpenMeetsInOneAssociation() {
        SimNetwork net = new SimNetwork(2);
        SimSctpPeer[] p = connected(net, SimLinkConditions.delay(Duration.ofMillis(5)), true);
        assertThat(p[0].events(AssociationEstablished.class)).hasSize(1);
        assertThat(p[1].events(AssociationEstablished.class)).hasSize(1);
        p[0].send(0, 51, message(7, 100), SctpSendOptions.RELIABLE_ORDERED);
        p[1].send(1, 51, message(8, 100), SctpSendOptions.RELIABLE_ORDERED);
        assertThat(net.runUntil(() -> p[1].has(MessageReceived.class) && p[0].has(MessageReceived.class), BOUND))
                .isTrue();
    }

    @ParameterizedTest(name = "loss {0}")
    @ValueSource(doubles = {0.0, 0.05, 0.20})
    void reliableMessagesArriveExactlyOnceAndInOrder(double loss) {
        SimNetwork net = new SimNetwork(42);
        SimSctpPeer[] p = connected(net, lossy(loss).toBuilder().duplication(loss / 4).build(), true);
        int[] sizes = {1, 100, 1172, 1173, 5000, 60_000, 16, 3000, 20_000, 7};
        int count = 300;
        Map<Integer, List<Integer>> got = new HashMap<>();
        Set<Integer> unordered = new HashSet<>();
        p[1].listener = e -> {
            if (e instanceof MessageReceived m) {
                int seq = seqOf(m.data());
                assertThat(m.data()).isEqualTo(message(seq, sizes[seq % sizes.length]));
                if (m.unordered()) {
                    assertThat(unordered.add(seq)).as("unordered duplicate %d", seq).isTrue();
                } else {
                    got.computeIfAbsent(m.streamId(), k -> new ArrayList<>()).add(seq);
                }
            }
        };
        for (int i = 0; i < count; i++) {
            boolean un = i % 3 == 2;
            p[0].send(i % 3, 53, message(i, sizes[i % sizes.length]),
                    un ? SctpSendOptions.RELIABLE_UNORDERED : SctpSendOptions.RELIABLE_ORDERED);
        }
        boolean all = net.runUntil(() -> got.getOrDefault(0, List.of()).size() + got.getOrDefault(1, List.of()).size()
                + unordered.size() >= count, BOUND);
        assertThat(all).as("all delivered").isTrue();
        for (int s = 0; s < 2; s++) {
            List<Integer> expect = new ArrayList<>();
            for (int i = s; i < count; i += 3) {
                expect.add(i);
            }
            assertThat(got.get(s)).as("stream %d in order, exactly once", s).isEqualTo(expect);
        }
        assertThat(unordered).hasSize(count / 3);
        // And nothing more trickles in later (no duplicates delivered after the fact).
        net.runFor(Duration.ofSeconds(10));
        assertThat(p[1].events(MessageReceived.class)).hasSize(count);
    }
}
