package io.rtc4j.sctp;

import static io.rtc4j.sctp.SctpAssociationSimTest.BOUND;
import static io.rtc4j.sctp.SctpAssociationSimTest.connected;
import static io.rtc4j.sctp.SctpAssociationSimTest.lossy;
import static io.rtc4j.sctp.SctpAssociationSimTest.message;
import static io.rtc4j.sctp.SctpAssociationSimTest.seqOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.sctp.SctpEvent.AssociationClosed;
import io.rtc4j.sctp.SctpEvent.AssociationClosed.Reason;
import io.rtc4j.sctp.SctpEvent.IncomingStreamsReset;
import io.rtc4j.sctp.SctpEvent.MessageReceived;
import io.rtc4j.sctp.SctpEvent.OutgoingStreamsReset;
import io.rtc4j.testkit.net.SimLinkConditions;
import io.rtc4j.testkit.net.SimNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Partial reliability, stream reset, shutdown, abort, failure detection and size limits on the virtual network. */
class SctpAssociationLifecycleTest {

    private static List<Integer> received(SimSctpPeer p, int stream) {
        List<Integer> out = new ArrayList<>();
        for (MessageReceived m : p.events(MessageReceived.class)) {
            if (m.streamId() == stream) {
                out.add(seqOf(m.data()));
            }
        }
        return out;
    }

    private static void assertIncreasing(List<Integer> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("ordered and exactly once").isGreaterThan(seqs.get(i - 1));
        }
    }

    @Test
    void maxRetransmitsZeroDropsLostMessagesAndNeverStalls() {
        SimNetwork net = new SimNetwork(7);
        SimSctpPeer[] p = connected(net, lossy(0.20), false);
        SctpSendOptions unreliable = new SctpSendOptions(false, 0, null);
        int n = 400;
        for (int i = 0; i < n; i++) {
            p[0].send(1, 53, message(i, i % 4 == 0 ? 3000 : 500), unreliable);
        }
        net.runFor(Duration.ofSeconds(30));
        List<Integer> got = received(p[1], 1);
        assertIncreasing(got);
        assertThat(got.size()).as("some lost for good, most delivered").isBetween(n / 2, n - 1);
        // The stream is not stuck on a skipped SSN: a reliable message after the burst arrives.
        p[0].send(1, 53, message(100_000, 10), SctpSendOptions.RELIABLE_ORDERED);
        assertThat(net.runUntil(() -> received(p[1], 1).contains(100_000), BOUND)).isTrue();
        assertThat(p[0].association.droppedCount()).isZero();
    }

    @Test
    void lifetimeDropsStaleMessagesAndUnorderedStillFlows() {
        SimNetwork net = new SimNetwork(8);
        SimSctpPeer[] p = connected(net, lossy(0.20), false);
        SctpSendOptions timed = new SctpSendOptions(true, -1, Duration.ofMillis(150));
        int n = 300;
        for (int i = 0; i < n; i++) {
            p[0].send(2, 53, message(i, 1000), timed);
        }
        net.runFor(Duration.ofSeconds(30));
        List<Integer> got = received(p[1], 2);
        assertThat(got).doesNotHaveDuplicates();
        assertThat(got.size()).isBetween(1, n - 1);
        p[0].send(2, 53, message(100_000, 10), SctpSendOptions.RELIABLE_ORDERED);
        assertThat(net.runUntil(() -> received(p[1], 2).contains(100_000), BOUND)).isTrue();
    }

    @Test
    void streamResetClosesAndTheStreamCanBeReused() {
        SimNetwork net = new SimNetwork(9);
        SimSctpPeer[] p = connected(net, lossy(0.05), false);
        for (int i = 0; i < 20; i++) {
            p[0].send(3, 51, message(i, 2000), SctpSendOptions.RELIABLE_ORDERED);
        }
        p[0].association.resetStreams(net.now(), List.of(3));
        p[0].drain();
        assertThatThrownBy(() -> p[0].send(3, 51, message(99, 10), SctpSendOptions.RELIABLE_ORDERED))
                .isInstanceOf(IllegalStateException.class);
        assertThat(net.runUntil(() -> p[0].has(OutgoingStreamsReset.class) && p[1].has(IncomingStreamsReset.class),
                BOUND)).isTrue();
        assertThat(received(p[1], 3)).as("everything sent before the reset arrived first")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
        assertThat(p[1].events(IncomingStreamsReset.class).get(0).streamIds()).containsExactly(3);
        // SSNs start again at 0 on both sides: new messages are delivered, in order.
        for (int i = 20; i < 25; i++) {
            p[0].send(3, 51, message(i, 100), SctpSendOptions.RELIABLE_ORDERED);
        }
        assertThat(net.runUntil(() -> received(p[1], 3).size() == 25, BOUND)).isTrue();
        assertIncreasing(received(p[1], 3));
    }

    @Test
    void gracefulShutdownDeliversEverythingFirst() {
        SimNetwork net = new SimNetwork(10);
        SimSctpPeer[] p = connected(net, lossy(0.05), false);
        for (int i = 0; i < 50; i++) {
            p[0].send(0, 53, message(i, 5000), SctpSendOptions.RELIABLE_ORDERED);
        }
        p[0].association.shutdown(net.now());
        p[0].drain();
        assertThat(net.runUntil(() -> p[0].has(AssociationClosed.class) && p[1].has(AssociationClosed.class), BOUND))
                .isTrue();
        assertThat(received(p[1], 0)).hasSize(50);
        assertThat(p[0].events(AssociationClosed.class).get(0).reason()).isEqualTo(Reason.SHUTDOWN_COMPLETED);
        assertThat(p[1].events(AssociationClosed.class).get(0).reason()).isEqualTo(Reason.SHUTDOWN_COMPLETED);
        assertThat(p[0].association.state()).isEqualTo(SctpAssociation.State.CLOSED);
        assertThat(net.runUntilIdle(BOUND)).as("no timers left").isTrue();
    }

    @Test
    void abortEndsBothSides() {
        SimNetwork net = new SimNetwork(11);
        SimSctpPeer[] p = connected(net, SimLinkConditions.delay(Duration.ofMillis(10)), false);
        p[1].association.abort(net.now(), "bye");
        p[1].drain();
        assertThat(net.runUntil(() -> p[0].has(AssociationClosed.class), BOUND)).isTrue();
        AssociationClosed c = p[0].events(AssociationClosed.class).get(0);
        assertThat(c.reason()).isEqualTo(Reason.ABORTED_BY_PEER);
        assertThat(c.detail()).contains("bye");
        assertThat(p[1].events(AssociationClosed.class).get(0).reason()).isEqualTo(Reason.ABORTED_LOCALLY);
        assertThatThrownBy(() -> p[0].send(0, 51, new byte[1], SctpSendOptions.RELIABLE_ORDERED))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void deadPeerIsDetected() {
        SimNetwork net = new SimNetwork(12);
        SimSctpPeer[] p = connected(net, SimLinkConditions.delay(Duration.ofMillis(10)), false);
        p[1].host().setUplink(SimLinkConditions.builder().loss(1.0).build());
        p[0].send(0, 51, message(1, 100), SctpSendOptions.RELIABLE_ORDERED);
        assertThat(net.runUntil(() -> p[0].has(AssociationClosed.class), Duration.ofHours(2))).isTrue();
        assertThat(p[0].events(AssociationClosed.class).get(0).reason()).isEqualTo(Reason.FAILED);
    }

    @Test
    void idleAssociationHeartbeatsAndDetectsASilentPeer() {
        SimNetwork net = new SimNetwork(13);
        SimSctpPeer[] p = connected(net, SimLinkConditions.delay(Duration.ofMillis(10)), false);
        net.runFor(Duration.ofMinutes(5));
        assertThat(p[0].has(AssociationClosed.class)).as("heartbeats keep it up").isFalse();
        assertThat(p[0].association.smoothedRtt()).isEqualTo(Duration.ofMillis(40)); // 10 ms on each of four link directions
        p[1].host().setUplink(SimLinkConditions.builder().loss(1.0).build());
        assertThat(net.runUntil(() -> p[0].has(AssociationClosed.class), Duration.ofHours(2))).isTrue();
    }

    @Test
    void maxMessageSizeIsHonouredBothWays() {
        SimNetwork net = new SimNetwork(14);
        SctpConfig small = SctpConfig.builder().maxMessageSize(64 * 1024).receiveBufferBytes(1 << 20).build();
        SctpConfig a = SctpConfig.builder().remoteMaxMessageSize(64 * 1024).build();
        SimSctpPeer[] p = connected(net, lossy(0.05), false, a, small);
        assertThatThrownBy(() -> p[0].send(0, 53, new byte[64 * 1024 + 1], SctpSendOptions.RELIABLE_ORDERED))
                .isInstanceOf(IllegalArgumentException.class);
        p[0].send(0, 53, message(1, 64 * 1024), SctpSendOptions.RELIABLE_ORDERED);
        assertThat(net.runUntil(() -> p[1].has(MessageReceived.class), BOUND)).isTrue();
        assertThat(p[1].events(MessageReceived.class).get(0).data()).isEqualTo(message(1, 64 * 1024));
        assertThatThrownBy(() -> p[0].send(0, 53, new byte[0], SctpSendOptions.RELIABLE_ORDERED))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPeerThatIgnoresOurMaxMessageSizeIsAborted() {
        SimNetwork net = new SimNetwork(15);
        SctpConfig small = SctpConfig.builder().maxMessageSize(64 * 1024).receiveBufferBytes(1 << 20).build();
        SctpConfig liar = SctpConfig.builder().remoteMaxMessageSize(0).build();
        SimSctpPeer[] p = connected(net, SimLinkConditions.delay(Duration.ofMillis(10)), false, liar, small);
        p[0].send(0, 53, new byte[200_000], SctpSendOptions.RELIABLE_ORDERED);
        assertThat(net.runUntil(() -> p[0].has(AssociationClosed.class) && p[1].has(AssociationClosed.class), BOUND))
                .isTrue();
        assertThat(p[0].events(AssociationClosed.class).get(0).reason()).isEqualTo(Reason.ABORTED_BY_PEER);
        assertThat(p[1].events(MessageReceived.class)).isEmpty();
    }

    @Test
    void aSmallReceiveWindowThrottlesTheSenderWithoutLoss() {
        SimNetwork net = new SimNetwork(16);
        SctpConfig tiny = SctpConfig.builder().maxMessageSize(16 * 1024).receiveBufferBytes(16 * 1024).build();
        SctpConfig a = SctpConfig.builder().remoteMaxMessageSize(16 * 1024).build();
        SimSctpPeer[] p = connected(net, lossy(0.05), false, a, tiny);
        for (int i = 0; i < 100; i++) {
            p[0].send(i % 2, 53, message(i, 16 * 1024), i % 2 == 0 ? SctpSendOptions.RELIABLE_ORDERED
                    : SctpSendOptions.RELIABLE_UNORDERED);
        }
        assertThat(net.runUntil(() -> p[1].events(MessageReceived.class).size() == 100, BOUND)).isTrue();
        assertIncreasing(received(p[1], 0));
        assertThat(p[1].events(MessageReceived.class)).allSatisfy(m -> assertThat(m.data())
                .isEqualTo(message(seqOf(m.data()), 16 * 1024)));
        assertThat(p[1].association.receiver.window()).isEqualTo(16 * 1024);
    }
}
