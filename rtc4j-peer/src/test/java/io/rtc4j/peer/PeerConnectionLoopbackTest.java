package io.rtc4j.peer;

import static io.rtc4j.peer.LoopbackPeers.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Two rtc4j peers over real UDP sockets on 127.0.0.1: offer/answer, channels, messages. */
class PeerConnectionLoopbackTest {
    private static final Duration BOUND = Duration.ofSeconds(20);

    /** Echoes every message of every channel B is offered, text as text and binary as binary. */
    static void echoOn(RtcPeerConnection pc, List<RtcDataChannel> announced) {
        pc.onDataChannel(ch -> {
            announced.add(ch);
            ch.onMessage(m -> {
                if (m.binary()) {
                    ch.send(m.data());
                } else {
                    ch.send(m.text());
                }
            });
        });
    }

    static RtcDataChannelMessage next(BlockingQueue<RtcDataChannelMessage> q) throws InterruptedException {
        RtcDataChannelMessage m = q.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(m).as("a message within " + BOUND).isNotNull();
        return m;
    }

    @Test
    void trickleOfferAnswerOpensSeveralChannelsAndEchoesTextBinaryAndEmpty() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            List<RtcDataChannel> atB = new CopyOnWriteArrayList<>();
            echoOn(p.b, atB);
            RtcDataChannel chat = p.a.createDataChannel("chat", RtcDataChannelInit.DEFAULT.withProtocol("json"));
            RtcDataChannel fast = p.a.createDataChannel("fast",
                    RtcDataChannelInit.DEFAULT.withOrdered(false).withMaxRetransmits(0));
            BlockingQueue<RtcDataChannelMessage> chatIn = new LinkedBlockingQueue<>();
            BlockingQueue<RtcDataChannelMessage> fastIn = new LinkedBlockingQueue<>();
            chat.onMessage(chatIn::add);
            fast.onMessage(fastIn::add);
            assertThat(chat.readyState()).isEqualTo(RtcDataChannelState.CONNECTING);
            assertThat(chat.id()).isEmpty(); // the DTLS role decides (RFC 8832 §6)

            p.connectTrickle();
            p.awaitConnected();
            await("channels open", BOUND, () -> chat.readyState() == RtcDataChannelState.OPEN
                    && fast.readyState() == RtcDataChannelState.OPEN && atB.size() == 2);

            // A offered actpass, B answered active: B is the DTLS client (even ids), A the server (odd)
            assertThat(chat.id().orElseThrow() % 2).isEqualTo(1);
            assertThat(fast.id().orElseThrow() % 2).isEqualTo(1);
            RtcDataChannel chatAtB = atB.stream().filter(c -> c.label().equals("chat")).findFirst().orElseThrow();
            assertThat(chatAtB.protocol()).isEqualTo("json");
            assertThat(chatAtB.ordered()).isTrue();
            assertThat(chatAtB.id()).isEqualTo(chat.id());
            RtcDataChannel fastAtB = atB.stream().filter(c -> c.label().equals("fast")).findFirst().orElseThrow();
            assertThat(fastAtB.ordered()).isFalse();
            assertThat(fastAtB.maxRetransmits()).contains(0);

            chat.send("héllo");
            RtcDataChannelMessage m = next(chatIn);
            assertThat(m.binary()).isFalse();
            assertThat(m.text()).isEqualTo("héllo");
            chat.send(new byte[] {1, 2, 3});
            m = next(chatIn);
            assertThat(m.binary()).isTrue();
            assertThat(m.data()).containsExactly(1, 2, 3);
            chat.send(""); // RFC 8831 §6.6: PPID 56
            m = next(chatIn);
            assertThat(m.binary()).isFalse();
            assertThat(m.data()).isEmpty();
            chat.send(new byte[0]); // PPID 57
            m = next(chatIn);
            assertThat(m.binary()).isTrue();
            assertThat(m.data()).isEmpty();
            fast.send("x");
            assertThat(next(fastIn).text()).isEqualTo("x");
            // RFC 8841: a message of exactly the peer's max-message-size passes, one byte more is refused
            assertThat(p.a.maxMessageSize()).hasValue(262144);
            byte[] max = new byte[262144];
            max[262143] = 42;
            chat.send(max);
            m = next(chatIn);
            assertThat(m.data()).hasSize(262144).endsWith((byte) 42);
            assertThatThrownBy(() -> chat.send(new byte[262145])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("max-message-size");
            assertThat(chat.readyState()).isEqualTo(RtcDataChannelState.OPEN);

            // a channel opened after the connection is up, from the answerer's side: even id
            BlockingQueue<RtcDataChannel> announcedAtA = new LinkedBlockingQueue<>();
            p.a.onDataChannel(announcedAtA::add);
            RtcDataChannel late = p.b.createDataChannel("late");
            await("late open", BOUND, () -> late.readyState() == RtcDataChannelState.OPEN);
            assertThat(late.id().orElseThrow() % 2).isZero();
            RtcDataChannel lateAtA = announcedAtA.poll(BOUND.toSeconds(), TimeUnit.SECONDS);
            assertThat(lateAtA).isNotNull();
            assertThat(lateAtA.label()).isEqualTo("late");
            assertThat(p.signalingErrors).isEmpty();
            assertThat(p.a.handlerErrors() + p.b.handlerErrors()).isZero();
        }
    }

    @Test
    void withoutTrickleTheDescriptionsCarryAllCandidates() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            List<RtcDataChannel> atB = new CopyOnWriteArrayList<>();
            echoOn(p.b, atB);
            RtcDataChannel ch = p.a.createDataChannel("echo");
            BlockingQueue<RtcDataChannelMessage> in = new LinkedBlockingQueue<>();
            ch.onMessage(in::add);
            p.connectWholeDescriptions();
            assertThat(p.a.localDescription().orElseThrow().type()).isEqualTo(io.rtc4j.sdp.SdpType.OFFER);
            assertThat(p.a.remoteDescription().orElseThrow().type()).isEqualTo(io.rtc4j.sdp.SdpType.ANSWER);
            assertThat(p.b.localDescription().orElseThrow().type()).isEqualTo(io.rtc4j.sdp.SdpType.ANSWER);
            assertThat(p.b.remoteDescription().orElseThrow().type()).isEqualTo(io.rtc4j.sdp.SdpType.OFFER);
            String offer = p.a.localDescription().orElseThrow().sdp();
            assertThat(offer).contains("a=candidate:").contains("127.0.0.1").contains("a=end-of-candidates");
            p.awaitConnected();
            await("open", BOUND, () -> ch.readyState() == RtcDataChannelState.OPEN);
            ch.send("ping");
            assertThat(next(in).text()).isEqualTo("ping");
        }
    }

    @Test
    void preNegotiatedChannelOpensOnBothSidesWithoutDcep() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            List<RtcDataChannel> announced = new CopyOnWriteArrayList<>();
            p.a.onDataChannel(announced::add);
            p.b.onDataChannel(announced::add);
            RtcDataChannel x = p.a.createDataChannel("x", RtcDataChannelInit.negotiated(7));
            RtcDataChannel y = p.b.createDataChannel("x", RtcDataChannelInit.negotiated(7));
            BlockingQueue<RtcDataChannelMessage> atA = new LinkedBlockingQueue<>();
            BlockingQueue<RtcDataChannelMessage> atB = new LinkedBlockingQueue<>();
            x.onMessage(atA::add);
            y.onMessage(atB::add);
            p.connectTrickle();
            await("both open", BOUND, () -> x.readyState() == RtcDataChannelState.OPEN
                    && y.readyState() == RtcDataChannelState.OPEN);
            assertThat(x.id()).contains(7);
            x.send("to b");
            y.send("to a");
            assertThat(next(atB).text()).isEqualTo("to b");
            assertThat(next(atA).text()).isEqualTo("to a");
            assertThat(announced).isEmpty(); // negotiated: no DATA_CHANNEL_OPEN, no ondatachannel
        }
    }

    @Test
    void orderedChannelDeliversInOrderAndUnorderedDeliversEverything() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            BlockingQueue<String> ordered = new LinkedBlockingQueue<>();
            BlockingQueue<String> unordered = new LinkedBlockingQueue<>();
            p.b.onDataChannel(ch -> ch.onMessage(m -> (ch.ordered() ? ordered : unordered).add(m.text())));
            RtcDataChannel o = p.a.createDataChannel("o");
            RtcDataChannel u = p.a.createDataChannel("u", RtcDataChannelInit.DEFAULT.withOrdered(false));
            p.connectTrickle();
            await("open", BOUND, () -> o.readyState() == RtcDataChannelState.OPEN && u.readyState() == RtcDataChannelState.OPEN);
            int n = 2000;
            for (int i = 0; i < n; i++) {
                o.send("m" + i);
                u.send("m" + i);
            }
            await("all delivered", BOUND, () -> ordered.size() == n && unordered.size() == n);
            assertThat(List.copyOf(ordered)).containsExactlyElementsOf(
                    java.util.stream.IntStream.range(0, n).mapToObj(i -> "m" + i).toList());
            assertThat(List.copyOf(unordered)).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(0, n).mapToObj(i -> "m" + i).toList());
        }
    }

    @Test
    void getStatsCountsBytesAndMessagesPerChannelAndShowsTheSelectedPair() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            echoOn(p.b, new CopyOnWriteArrayList<>());
            RtcDataChannel ch = p.a.createDataChannel("stats");
            BlockingQueue<RtcDataChannelMessage> in = new LinkedBlockingQueue<>();
            ch.onMessage(in::add);
            p.connectTrickle();
            await("open", BOUND, () -> ch.readyState() == RtcDataChannelState.OPEN);
            for (int i = 0; i < 10; i++) {
                ch.send(new byte[100]);
                next(in);
            }
            RtcStats s = p.a.getStats();
            RtcStats.DataChannelStats c = s.channel("stats").orElseThrow();
            assertThat(c.messagesSent()).isEqualTo(10);
            assertThat(c.bytesSent()).isEqualTo(1000);
            assertThat(c.messagesReceived()).isEqualTo(10);
            assertThat(c.bytesReceived()).isEqualTo(1000);
            assertThat(c.state()).isEqualTo(RtcDataChannelState.OPEN);
            assertThat(s.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTED);
            RtcStats.CandidatePairStats pair = s.selectedPair().orElseThrow();
            assertThat(pair.localType()).isEqualTo("host");
            assertThat(pair.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(pair.remoteAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(s.roundTripTime()).isPresent();
            assertThat(s.bytesSent()).isGreaterThan(1000);
            assertThat(s.datagramsReceived()).isPositive();
        }
    }

    @Test
    void channelsCloseFromEitherSideAndCloseEndsTheConnection() throws Exception {
        try (LoopbackPeers p = new LoopbackPeers()) {
            List<RtcDataChannel> atB = new CopyOnWriteArrayList<>();
            echoOn(p.b, atB);
            RtcDataChannel one = p.a.createDataChannel("one");
            RtcDataChannel two = p.a.createDataChannel("two");
            assertThat(p.a.dtlsTransportState()).isEqualTo(RtcDtlsTransportState.NEW);
            p.connectTrickle();
            await("open", BOUND, () -> one.readyState() == RtcDataChannelState.OPEN
                    && two.readyState() == RtcDataChannelState.OPEN && atB.size() == 2);
            RtcDataChannel oneAtB = atB.stream().filter(c -> c.label().equals("one")).findFirst().orElseThrow();
            RtcDataChannel twoAtB = atB.stream().filter(c -> c.label().equals("two")).findFirst().orElseThrow();
            one.close(); // the opener closes
            await("one closed both sides", BOUND, () -> one.readyState() == RtcDataChannelState.CLOSED
                    && oneAtB.readyState() == RtcDataChannelState.CLOSED);
            assertThat(two.readyState()).isEqualTo(RtcDataChannelState.OPEN);
            twoAtB.close(); // the other side closes
            await("two closed both sides", BOUND, () -> two.readyState() == RtcDataChannelState.CLOSED
                    && twoAtB.readyState() == RtcDataChannelState.CLOSED);
            // the stream ids are free again: a new channel opens
            RtcDataChannel three = p.a.createDataChannel("three");
            await("three open", BOUND, () -> three.readyState() == RtcDataChannelState.OPEN);
            assertThat(p.b.dtlsTransportState()).isEqualTo(RtcDtlsTransportState.CONNECTED);
            p.a.close();
            assertThat(p.a.connectionState()).isEqualTo(RtcPeerConnectionState.CLOSED);
            assertThat(p.a.dtlsTransportState()).isEqualTo(RtcDtlsTransportState.CLOSED);
            assertThat(three.readyState()).isEqualTo(RtcDataChannelState.CLOSED);
            // A's close_notify closes B's DTLS transport for good; B's connection is DISCONNECTED, with the reason
            await("B's DTLS closed", BOUND, () -> p.b.dtlsTransportState() == RtcDtlsTransportState.CLOSED
                    && p.b.connectionState() == RtcPeerConnectionState.DISCONNECTED);
            assertThat(p.b.failureReason()).contains("close_notify");
            // SCTP ABORT (RFC 9260 §9.1) closes the peer's channels at once
            await("B's channels closed", BOUND, () -> atB.stream().allMatch(c -> c.readyState() == RtcDataChannelState.CLOSED));
            assertThat(p.b.getStats().channels()).allMatch(c -> c.state() == RtcDataChannelState.CLOSED);
        }
    }

    @Test
    void closedConnectionsLeaveNoThreadsBehind() throws Exception {
        for (int i = 0; i < 3; i++) {
            try (LoopbackPeers p = new LoopbackPeers()) {
                RtcDataChannel ch = p.a.createDataChannel("t");
                p.connectTrickle();
                await("open", BOUND, () -> ch.readyState() == RtcDataChannelState.OPEN);
            }
        }
        await("connection and ICE threads ended", BOUND, () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && (t.getName().startsWith("rtc4j-peer-") || t.getName().startsWith("rtc4j-ice-udp"))));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
