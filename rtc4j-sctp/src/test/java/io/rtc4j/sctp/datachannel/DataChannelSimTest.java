package io.rtc4j.sctp.datachannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.sctp.SctpConfig;
import io.rtc4j.sctp.datachannel.DataChannelEvent.BufferedAmountLow;
import io.rtc4j.sctp.datachannel.DataChannelEvent.DataChannelClosed;
import io.rtc4j.sctp.datachannel.DataChannelEvent.DataChannelOpened;
import io.rtc4j.sctp.datachannel.DataChannelEvent.MessageReceived;
import io.rtc4j.sctp.datachannel.DataChannelEvent.TransportClosed;
import io.rtc4j.sctp.datachannel.DataChannelEvent.TransportEstablished;
import io.rtc4j.testkit.net.SimLinkConditions;
import io.rtc4j.testkit.net.SimNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Data channels (RFC 8831, 8832) between two endpoints on the virtual network. */
class DataChannelSimTest {
    static final Duration BOUND = Duration.ofMinutes(10);

    private SimNetwork net;
    private SimDataChannelPeer a;
    private SimDataChannelPeer b;

    private void connect(SimLinkConditions link) {
        net = new SimNetwork(5);
        SctpConfig config = SctpConfig.builder().remoteMaxMessageSize(256 * 1024).build();
        SimDataChannelPeer[] p = SimDataChannelPeer.pair(net, config);
        a = p[0];
        b = p[1];
        a.socket.host().setLink(link);
        b.socket.host().setLink(link);
        a.endpoint.connect(net.now());
        a.drain();
        b.endpoint.connect(net.now()); // both sides start SCTP, as WebRTC peers do
        b.drain();
        assertThat(net.runUntil(() -> !a.events(TransportEstablished.class).isEmpty()
                && !b.events(TransportEstablished.class).isEmpty(), BOUND)).isTrue();
    }

    private DataChannel create(SimDataChannelPeer p, String label, DataChannelInit init) {
        DataChannel c = p.endpoint.createDataChannel(net.now(), label, init);
        p.drain();
        return c;
    }

    private static List<MessageReceived> on(SimDataChannelPeer p, int id) {
        return p.events(MessageReceived.class).stream().filter(m -> m.channelId() == id).toList();
    }

    @Test
    void inBandChannelsOpenBothWaysWithLabelProtocolAndStreamParity() {
        connect(SimLinkConditions.delay(Duration.ofMillis(10)));
        DataChannel fromA = create(a, "chat", DataChannelInit.DEFAULT.withProtocol("json"));
        DataChannel fromB = create(b, "files", DataChannelInit.DEFAULT.withOrdered(false));
        assertThat(fromA.id() % 2).as("DTLS client: even").isZero();
        assertThat(fromB.id() % 2).as("DTLS server: odd").isOne();
        assertThat(net.runUntil(() -> a.events(DataChannelOpened.class).size() == 2
                && b.events(DataChannelOpened.class).size() == 2, BOUND)).isTrue();
        DataChannelOpened remoteChat = b.events(DataChannelOpened.class).stream().filter(DataChannelOpened::remotelyCreated)
                .findFirst().orElseThrow();
        assertThat(remoteChat.channel()).isEqualTo(new DataChannel(fromA.id(), "chat", "json", true, null, null, false));
        DataChannelOpened remoteFiles = a.events(DataChannelOpened.class).stream().filter(DataChannelOpened::remotelyCreated)
                .findFirst().orElseThrow();
        assertThat(remoteFiles.channel().label()).isEqualTo("files");
        assertThat(remoteFiles.channel().ordered()).isFalse();
    }

    @Test
    void theOpenerIsOpenAsSoonAsItSentOpenAndAnUnorderedChannelStaysOrderedUntilTheAck() {
        connect(SimLinkConditions.delay(Duration.ofMillis(50)));
        java.time.Instant created = net.now();
        DataChannel c = create(a, "early", DataChannelInit.DEFAULT.withOrdered(false));
        // RFC 8832 §6, as libwebrtc: open without waiting a round trip for DATA_CHANNEL_ACK
        assertThat(a.events(DataChannelOpened.class)).hasSize(1);
        assertThat(net.now()).isEqualTo(created);
        for (int i = 0; i < 20; i++) {
            a.endpoint.send(net.now(), c.id(), "m" + i); // before the ACK: ordered, so OPEN arrives first
        }
        a.drain();
        assertThat(net.runUntil(() -> on(b, c.id()).size() == 20, BOUND)).isTrue();
        assertThat(b.events(DataChannelOpened.class)).hasSize(1);
        for (int i = 0; i < 20; i++) {
            assertThat(new String(on(b, c.id()).get(i).data(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("m" + i);
        }
    }

    @Test
    void textBinaryAndEmptyMessagesKeepTheirKind() {
        connect(SimLinkConditions.delay(Duration.ofMillis(10)));
        DataChannel c = create(a, "echo", DataChannelInit.DEFAULT);
        a.endpoint.send(net.now(), c.id(), "héllo");
        a.endpoint.send(net.now(), c.id(), new byte[] {1, 2, 3});
        a.endpoint.send(net.now(), c.id(), "");
        a.endpoint.send(net.now(), c.id(), new byte[0]);
        a.endpoint.send(net.now(), c.id(), new byte[256 * 1024]); // the negotiated maximum
        a.drain();
        assertThat(net.runUntil(() -> on(b, c.id()).size() == 5, BOUND)).isTrue();
        List<MessageReceived> got = on(b, c.id());
        assertThat(got.get(0).binary()).isFalse();
        assertThat(got.get(0).text()).isEqualTo("héllo");
        assertThat(got.get(1).binary()).isTrue();
        assertThat(got.get(1).data()).containsExactly(1, 2, 3);
        assertThat(got.get(2).binary()).isFalse();
        assertThat(got.get(2).data()).isEmpty();
        assertThat(got.get(3).binary()).isTrue();
        assertThat(got.get(3).data()).isEmpty();
        assertThat(got.get(4).data()).hasSize(256 * 1024);
        assertThatThrownBy(() -> a.endpoint.send(net.now(), c.id(), new byte[256 * 1024 + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negotiatedChannelsNeedNoDcep() {
        connect(SimLinkConditions.delay(Duration.ofMillis(10)));
        DataChannel ca = create(a, "pre", DataChannelInit.negotiated(7));
        DataChannel cb = create(b, "pre", DataChannelInit.negotiated(7));
        assertThat(ca.id()).isEqualTo(7);
        assertThat(a.events(DataChannelOpened.class)).hasSize(1);
        a.endpoint.send(net.now(), 7, "x");
        b.endpoint.send(net.now(), cb.id(), "y");
        a.drain();
        b.drain();
        assertThat(net.runUntil(() -> on(b, 7).size() == 1 && on(a, 7).size() == 1, BOUND)).isTrue();
        assertThat(b.events(DataChannelOpened.class)).noneMatch(DataChannelOpened::remotelyCreated);
        assertThatThrownBy(() -> a.endpoint.createDataChannel(net.now(), "dup", DataChannelInit.negotiated(7)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void channelsCloseFromEitherSideAfterDeliveringWhatWasSent() {
        connect(SimLinkConditions.builder().delay(Duration.ofMillis(25)).loss(0.05).build());
        DataChannel one = create(a, "one", DataChannelInit.DEFAULT);
        DataChannel two = create(a, "two", DataChannelInit.DEFAULT);
        assertThat(net.runUntil(() -> b.events(DataChannelOpened.class).size() == 2, BOUND)).isTrue();
        for (int i = 0; i < 10; i++) {
            a.endpoint.send(net.now(), one.id(), "m" + i);
        }
        a.endpoint.close(net.now(), one.id());
        a.drain();
        assertThat(net.runUntil(() -> a.events(DataChannelClosed.class).size() == 1
                && b.events(DataChannelClosed.class).size() == 1, BOUND)).isTrue();
        assertThat(on(b, one.id())).hasSize(10);
        assertThat(on(b, one.id()).get(9).text()).isEqualTo("m9");
        // the receiver closes the other one
        b.endpoint.close(net.now(), two.id());
        b.drain();
        assertThat(net.runUntil(() -> a.events(DataChannelClosed.class).size() == 2
                && b.events(DataChannelClosed.class).size() == 2, BOUND)).isTrue();
        assertThatThrownBy(() -> a.endpoint.send(net.now(), two.id(), "late")).isInstanceOf(IllegalStateException.class);
        // a closed id can be used again
        DataChannel again = create(a, "again", DataChannelInit.DEFAULT);
        a.endpoint.send(net.now(), again.id(), "fresh");
        a.drain();
        assertThat(net.runUntil(() -> on(b, again.id()).stream().anyMatch(m -> m.text().equals("fresh")), BOUND))
                .isTrue();
    }

    @Test
    void bufferedAmountDrainsAndSignalsLow() {
        connect(SimLinkConditions.delay(Duration.ofMillis(25)));
        DataChannel c = create(a, "bulk", DataChannelInit.DEFAULT);
        assertThat(net.runUntil(() -> !a.events(DataChannelOpened.class).isEmpty(), BOUND)).isTrue();
        a.endpoint.setBufferedAmountLowThreshold(c.id(), 64 * 1024);
        int lowBefore = a.events(BufferedAmountLow.class).size();
        for (int i = 0; i < 32; i++) {
            a.endpoint.send(net.now(), c.id(), new byte[32 * 1024]);
        }
        a.drain();
        assertThat(a.endpoint.bufferedAmount(c.id())).isGreaterThan(512 * 1024);
        assertThat(net.runUntil(() -> a.events(BufferedAmountLow.class).size() > lowBefore, BOUND)).isTrue();
        assertThat(a.endpoint.bufferedAmount(c.id())).isLessThanOrEqualTo(64 * 1024);
        assertThat(net.runUntil(() -> on(b, c.id()).size() == 32, BOUND)).isTrue();
        assertThat(a.endpoint.bufferedAmount(c.id())).isZero();
    }

    @Test
    void partialReliabilityChannelDropsAndNeverStalls() {
        connect(SimLinkConditions.builder().delay(Duration.ofMillis(25)).loss(0.2).build());
        DataChannel c = create(a, "lossy", DataChannelInit.DEFAULT.withOrdered(false).withMaxRetransmits(0));
        DataChannel timed = create(a, "timed", DataChannelInit.DEFAULT.withMaxPacketLifeTime(Duration.ofMillis(100)));
        assertThat(net.runUntil(() -> b.events(DataChannelOpened.class).size() == 2, BOUND)).isTrue();
        DataChannel seen = b.events(DataChannelOpened.class).stream().map(DataChannelOpened::channel)
                .filter(x -> x.id() == c.id()).findFirst().orElseThrow();
        assertThat(seen.maxRetransmits()).isZero();
        assertThat(seen.ordered()).isFalse();
        for (int i = 0; i < 300; i++) {
            a.endpoint.send(net.now(), c.id(), "u" + i);
            a.endpoint.send(net.now(), timed.id(), "t" + i);
        }
        a.drain();
        net.runFor(Duration.ofSeconds(30));
        assertThat(on(b, c.id()).size()).isBetween(100, 299);
        List<Integer> order = new ArrayList<>();
        on(b, timed.id()).forEach(m -> order.add(Integer.parseInt(m.text().substring(1))));
        assertThat(order).isSorted().doesNotHaveDuplicates();
        assertThat(order.size()).isBetween(1, 300);
        a.endpoint.send(net.now(), timed.id(), "t-last");
        a.drain();
        assertThat(net.runUntil(() -> on(b, timed.id()).stream().anyMatch(m -> m.text().equals("t-last")), BOUND))
                .as("an ordered partial-reliability channel does not stall on a skipped message").isTrue();
    }

    @Test
    void transportShutdownClosesEveryChannel() {
        connect(SimLinkConditions.delay(Duration.ofMillis(10)));
        create(a, "x", DataChannelInit.DEFAULT);
        create(b, "y", DataChannelInit.DEFAULT);
        assertThat(net.runUntil(() -> a.events(DataChannelOpened.class).size() == 2, BOUND)).isTrue();
        a.endpoint.shutdown(net.now());
        a.drain();
        assertThat(net.runUntil(() -> !a.events(TransportClosed.class).isEmpty()
                && !b.events(TransportClosed.class).isEmpty(), BOUND)).isTrue();
        assertThat(a.events(DataChannelClosed.class)).hasSize(2);
        assertThat(b.events(DataChannelClosed.class)).hasSize(2);
    }
}
