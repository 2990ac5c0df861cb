package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.dtls.DtlsCertificate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.net.IceDriverEvent;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two engines wired back to back in memory, no sockets and no connection threads: the test thread is the
 * driver of both (ICE is simulated by its events; DTLS still runs BouncyCastle on its hidden threads, which
 * only raise a wakeup flag here). Shows the composition JSEP + DTLS + SCTP + DCEP, and that DTLS records that
 * arrive before the description that creates the DTLS endpoint, and before ICE connects, are kept; with 5%
 * seeded loss between the engines, reliable messages arrive exactly once and in order.
 */
class PeerCoreTest {
    static final class Side {
        final AtomicBoolean wake = new AtomicBoolean();
        final PeerCore core;
        final List<PeerOutput> outputs = new ArrayList<>();
        final ArrayDeque<byte[]> sent = new ArrayDeque<>();

        Side(SecureRandom random) {
            core = new PeerCore(random, DtlsCertificate.generateEcdsa(random, Instant.now()), () -> wake.set(true),
                    Thread.ofVirtual().factory(), Duration.ofSeconds(10));
        }

        /** Drains the engine (str0m's rule: until Timeout); datagrams are held for the test to deliver. */
        void drain(Instant now) {
            if (wake.getAndSet(false)) {
                core.handleDtlsReady(now);
            }
            for (int i = 0; i < 100_000; i++) {
                PeerOutput o = core.pollOutput();
                if (o instanceof PeerOutput.Timeout t) {
                    if (!now.isBefore(t.at())) {
                        core.handleTimeout(now);
                        continue;
                    }
                    return;
                }
                if (o instanceof PeerOutput.Transmit t) {
                    sent.add(t.datagram());
                } else {
                    outputs.add(o);
                }
            }
            throw new AssertionError("engine output never ended");
        }

        <T> List<T> events(Class<T> type) {
            return outputs.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    static void pumpUntil(String what, Side a, Side b, boolean deliver, BooleanSupplier done) throws InterruptedException {
        pumpUntil(what, a, b, deliver ? 0 : -1, null, done);
    }

    /** Delivers datagrams both ways, each lost with probability {@code loss} (seeded); -1: deliver nothing. */
    static void pumpUntil(String what, Side a, Side b, double loss, java.util.SplittableRandom random, BooleanSupplier done)
            throws InterruptedException {
        boolean deliver = loss >= 0;
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Instant now = Instant.now();
            a.drain(now);
            b.drain(now);
            if (deliver) {
                while (!a.sent.isEmpty()) {
                    byte[] d = a.sent.poll();
                    if (loss == 0 || random.nextDouble() >= loss) b.core.handleDatagram(now, d);
                }
                while (!b.sent.isEmpty()) {
                    byte[] d = b.sent.poll();
                    if (loss == 0 || random.nextDouble() >= loss) a.core.handleDatagram(now, d);
                }
            }
            Thread.sleep(1);
        }
    }

    @Test
    void aClientHelloThatOvertakesTheAnswerIsKeptAndTheChannelOpens() throws Exception {
        SecureRandom random = new SecureRandom();
        Side a = new Side(random);
        Side b = new Side(random);
        Instant now = Instant.now();
        int chat = a.core.createDataChannel(now, "chat", RtcDataChannelInit.DEFAULT);
        String answer = offerAndAnswer(a, b, now);
        // B (active: the DTLS client) sees ICE connected first and sends its ClientHello at once
        b.core.handleIceEvent(now, new IceDriverEvent.StateChanged(IceConnectionState.CONNECTED));
        pumpUntil("B's ClientHello", a, b, false, () -> !b.sent.isEmpty());
        // it reaches A before A has the answer, so before A has a DTLS endpoint and before A's ICE connected
        while (!b.sent.isEmpty()) {
            a.core.handleDatagram(now, b.sent.poll());
        }
        assertThat(a.core.stats(now).datagramsReceived()).isPositive();
        assertThat(a.core.stats(now).datagramsDropped()).isZero();
        a.core.setRemoteDescription(now, RtcSessionDescription.answer(answer));
        a.core.handleIceEvent(now, new IceDriverEvent.StateChanged(IceConnectionState.CONNECTED));

        // nothing more reaches A from B: A's ServerHello flight can only answer the ClientHello it kept
        pumpUntil("A answers the kept ClientHello", a, b, false, () -> !a.sent.isEmpty());
        b.sent.clear(); // B's retransmissions meanwhile are lost
        pumpUntil("both connected", a, b, true, () -> a.core.connectionState() == RtcPeerConnectionState.CONNECTED
                && b.core.connectionState() == RtcPeerConnectionState.CONNECTED);
        pumpUntil("channel announced at B and open at A", a, b, true,
                () -> !b.events(PeerEvent.DataChannelAnnounced.class).isEmpty()
                        && !a.events(PeerEvent.DataChannelOpened.class).isEmpty());
        PeerEvent.DataChannelAnnounced announced = b.events(PeerEvent.DataChannelAnnounced.class).getFirst();
        assertThat(announced.label()).isEqualTo("chat");
        assertThat(announced.id() % 2).isEqualTo(1); // A is the DTLS server: odd ids (RFC 8832 §6)
        a.core.send(Instant.now(), chat, false, "over the engines".getBytes());
        pumpUntil("message at B", a, b, true, () -> !b.events(PeerEvent.MessageReceived.class).isEmpty());
        assertThat(new String(b.events(PeerEvent.MessageReceived.class).getFirst().data())).isEqualTo("over the engines");
        assertThat(a.core.stats(Instant.now()).datagramsDropped()).isZero();

        // W3C close(): the peer's channel closes (SCTP ABORT), ours at once
        a.core.close(Instant.now());
        assertThat(a.core.connectionState()).isEqualTo(RtcPeerConnectionState.CLOSED);
        pumpUntil("B's channel closed", a, b, true, () -> !b.events(PeerEvent.DataChannelClosed.class).isEmpty());
        b.core.close(Instant.now());
    }

    @Test
    void theServerWorksOnAnEarlyClientHelloButSendsOnlyOnceIceHasARoute() throws Exception {
        SecureRandom random = new SecureRandom();
        Side a = new Side(random);
        Side b = new Side(random);
        Instant now = Instant.now();
        a.core.createDataChannel(now, "chat", RtcDataChannelInit.DEFAULT);
        String answer = offerAndAnswer(a, b, now);
        a.core.setRemoteDescription(now, RtcSessionDescription.answer(answer));
        a.core.handleIceEvent(now, new IceDriverEvent.StateChanged(IceConnectionState.CHECKING));
        // B, the DTLS client, finds its route first; A (server) is still checking when the ClientHello arrives
        b.core.handleIceEvent(now, new IceDriverEvent.StateChanged(IceConnectionState.CONNECTED));
        pumpUntil("B's ClientHello", a, b, false, () -> !b.sent.isEmpty());
        while (!b.sent.isEmpty()) {
            a.core.handleDatagram(now, b.sent.poll());
        }
        assertThat(a.core.connectionState()).isEqualTo(RtcPeerConnectionState.CONNECTING);
        // A computes its flight now (BouncyCastle's thread) but nothing leaves without a route: wait until the
        // flight is complete and held, with a bound, and check that nothing was sent meanwhile
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (heldAt(a) < 3 && System.nanoTime() < end) {
            a.drain(Instant.now());
            assertThat(a.sent).as("nothing sent before ICE has a route").isEmpty();
            Thread.sleep(1);
        }
        assertThat(heldAt(a)).as("ServerHello..ServerHelloDone held").isGreaterThanOrEqualTo(3);
        a.core.handleIceEvent(Instant.now(), new IceDriverEvent.StateChanged(IceConnectionState.CONNECTED));
        a.drain(Instant.now());
        assertThat(a.sent).as("released at once, in order, when ICE connects").isNotEmpty();
        pumpUntil("both connected", a, b, true, () -> a.core.connectionState() == RtcPeerConnectionState.CONNECTED
                && b.core.connectionState() == RtcPeerConnectionState.CONNECTED);
        assertThat(a.core.stats(Instant.now()).datagramsDropped()).isZero();
        a.core.close(Instant.now());
        b.core.close(Instant.now());
    }

    /** A offers, B answers; both set their own description and B A's; A has yet to take the answer returned. */
    private static String offerAndAnswer(Side a, Side b, Instant now) {
        a.core.setLocalDescription(now, RtcSessionDescription.offer(a.core.createOffer()));
        b.core.setRemoteDescription(now, a.core.localDescription().orElseThrow());
        String answer = b.core.createAnswer();
        b.core.setLocalDescription(now, RtcSessionDescription.answer(answer));
        return answer;
    }

    private static int heldAt(Side s) {
        return s.core.heldDatagrams();
    }

    @Test
    void withFivePercentLossEveryReliableMessageArrivesOnceAndInOrder() throws Exception {
        SecureRandom random = new SecureRandom();
        java.util.SplittableRandom lossRandom = new java.util.SplittableRandom(5);
        Side a = new Side(random);
        Side b = new Side(random);
        Instant now = Instant.now();
        int reliable = a.core.createDataChannel(now, "reliable", RtcDataChannelInit.DEFAULT);
        int lossy = a.core.createDataChannel(now, "lossy", RtcDataChannelInit.DEFAULT.withOrdered(false).withMaxRetransmits(0));
        String answer = offerAndAnswer(a, b, now);
        a.core.setRemoteDescription(now, RtcSessionDescription.answer(answer));
        a.core.handleIceEvent(now, new IceDriverEvent.StateChanged(IceConnectionState.CONNECTED));
        b.core.handleIceEvent(now, new IceDriverEvent.StateChanged(IceConnectionState.CONNECTED));
        // the opener is open once it sent DATA_CHANNEL_OPEN (RFC 8832 §6); wait for B to have them too
        pumpUntil("both channels open at A and announced at B", a, b, 0.05, lossRandom,
                () -> a.events(PeerEvent.DataChannelOpened.class).size() == 2
                        && b.events(PeerEvent.DataChannelAnnounced.class).size() == 2);

        int n = 300;
        java.util.SplittableRandom sizes = new java.util.SplittableRandom(9);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String m = i + ":" + "x".repeat(sizes.nextInt(1, 3000)); // up to three SCTP fragments
            sent.add(m);
            a.core.send(Instant.now(), reliable, false, m.getBytes());
            a.core.send(Instant.now(), lossy, false, ("L" + i).getBytes());
        }
        int reliableId = b.events(PeerEvent.DataChannelAnnounced.class).stream().filter(x -> x.label().equals("reliable"))
                .findFirst().orElseThrow().handle();
        pumpUntil("all reliable messages", a, b, 0.05, lossRandom, () -> b.events(PeerEvent.MessageReceived.class).stream()
                .filter(m -> m.handle() == reliableId).count() >= n);
        List<String> got = b.events(PeerEvent.MessageReceived.class).stream().filter(m -> m.handle() == reliableId)
                .map(m -> new String(m.data())).toList();
        assertThat(got).containsExactlyElementsOf(sent); // exactly once, in order
        List<String> lossyGot = b.events(PeerEvent.MessageReceived.class).stream().filter(m -> m.handle() != reliableId)
                .map(m -> new String(m.data())).toList();
        assertThat(lossyGot).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(n);
        a.core.close(Instant.now());
        b.core.close(Instant.now());
    }
}
