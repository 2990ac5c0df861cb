package io.rtc4j.turn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.Data;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunIntegrity;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.StunRetransmission;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.stun.XorRelayedAddress;
import io.rtc4j.testkit.SimClock;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.client.TurnClientEvent.Failure;
import io.rtc4j.turn.client.TurnClientEvent.TurnRequestFailed;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The client alone against a scripted server: challenges, integrity, drops, misuse. */
class TurnClientTest {
    private static final String REALM = "scripted.realm";
    private static final byte[] KEY = StunIntegrity.longTermKey("alice", REALM, "secret");
    private static final InetSocketAddress RELAY = new InetSocketAddress("192.0.2.100", 50000);
    private static final InetSocketAddress MAPPED = new InetSocketAddress("192.0.2.10", 40000);
    private static final InetSocketAddress PEER = new InetSocketAddress("198.51.100.1", 5000);

    private final SimClock clock = new SimClock();
    private final List<StunMessage> requests = new ArrayList<>();
    private final List<TurnClientEvent> events = new ArrayList<>();
    private Instant deadline = Instant.MAX;

    private TurnClient client(TransportProtocol t) {
        return new TurnClient(TurnClientConfig.builder("alice", "secret").transport(t).build(), new SplittableRandom(5));
    }

    private void drain(TurnClient c) {
        for (int i = 0; i < 10_000; i++) {
            switch (c.pollOutput()) {
                case TurnClientOutput.Transmit t -> {
                    try {
                        requests.add(StunCodec.decode(t.data().duplicate()));
                    } catch (StunParseException e) {
                        // data, not a request
                    }
                }
                case TurnClientOutput.Timeout t -> {
                    deadline = t.at();
                    return;
                }
                case TurnClientEvent e -> events.add(e);
            }
        }
        throw new AssertionError("no Timeout");
    }

    private StunMessage last() {
        return requests.get(requests.size() - 1);
    }

    private void reply(TurnClient c, StunMessage.Builder b, StunProtection p) {
        c.handleInput(clock.now(), ByteBuffer.wrap(StunCodec.encode(b.build(), p)));
        drain(c);
    }

    private void challenge(TurnClient c, int code, String nonce) {
        reply(c, last().response(StunClass.ERROR_RESPONSE).add(ErrorCode.of(code)).add(new Realm(REALM))
                .add(new Nonce(nonce)), StunProtection.NONE);
    }

    private StunMessage.Builder allocateSuccess() {
        return last().response(StunClass.SUCCESS_RESPONSE)
                .add(new XorRelayedAddress(RELAY))
                .add(new Lifetime(600))
                .add(new XorMappedAddress(MAPPED));
    }

    private void runTimers(TurnClient c, Duration d) {
        Instant target = clock.now().plus(d);
        while (!deadline.isAfter(target)) {
            clock.advanceTo(deadline);
            c.handleTimeout(clock.now());
            drain(c);
        }
        clock.advanceTo(target);
    }

    private TurnClient allocated(TransportProtocol t) {
        TurnClient c = client(t);
        c.allocate(clock.now());
        drain(c);
        challenge(c, ErrorCode.UNAUTHENTICATED, "nonce-1");
        reply(c, allocateSuccess(), StunProtection.integrity(KEY));
        assertThat(c.state()).isEqualTo(TurnClientState.ALLOCATED);
        return c;
    }

    @Test
    void staleNonceRetriesAreBounded() {
        TurnClient c = client(TransportProtocol.UDP);
        c.allocate(clock.now());
        drain(c);
        challenge(c, ErrorCode.UNAUTHENTICATED, "nonce-0");
        for (int i = 1; i <= 4; i++) {
            assertThat(last().getOrNull(Nonce.class).value()).isEqualTo("nonce-" + (i - 1));
            challenge(c, ErrorCode.STALE_NONCE, "nonce-" + i);
        }
        assertThat(requests).hasSize(5); // unsigned, signed, then 3 retries with fresh nonces
        assertThat(c.staleNonceRetries()).isEqualTo(3);
        assertThat(events).containsExactly(
                new TurnRequestFailed(StunMethod.ALLOCATE, null, Failure.ERROR_RESPONSE, ErrorCode.of(ErrorCode.STALE_NONCE)),
                new TurnClientEvent.TurnAllocationEnded(TurnClientEvent.EndReason.ALLOCATE_FAILED));
    }

    @Test
    void responseWithBadIntegrityIsIgnoredAndRetransmissionGoesOn() {
        TurnClient c = client(TransportProtocol.UDP);
        c.allocate(clock.now());
        drain(c);
        challenge(c, ErrorCode.UNAUTHENTICATED, "n");
        reply(c, allocateSuccess(), StunProtection.integrity(new byte[16])); // forged
        reply(c, allocateSuccess(), StunProtection.NONE); // unsigned
        assertThat(c.dropped(TurnClientDrop.INTEGRITY)).isEqualTo(2);
        assertThat(c.state()).isEqualTo(TurnClientState.ALLOCATING);
        runTimers(c, Duration.ofSeconds(60));
        // RFC 8489 §9.2.5: all responses discarded, so the failure says integrity, not timeout
        assertThat(events.get(0)).isEqualTo(new TurnRequestFailed(StunMethod.ALLOCATE, null, Failure.INTEGRITY_VIOLATED, null));
        assertThat(c.retransmissions()).isEqualTo(6);
    }

    @Test
    void overTcpBadIntegrityEndsTheTransactionAtOnce() {
        TurnClient c = client(TransportProtocol.TCP);
        c.allocate(clock.now());
        drain(c);
        challenge(c, ErrorCode.UNAUTHENTICATED, "n");
        reply(c, allocateSuccess(), StunProtection.integrity(new byte[16]));
        assertThat(events.get(0)).isEqualTo(new TurnRequestFailed(StunMethod.ALLOCATE, null, Failure.INTEGRITY_VIOLATED, null));
        assertThat(c.state()).isEqualTo(TurnClientState.CLOSED);
    }

    @Test
    void duplicateResponseIsCounted() {
        TurnClient c = allocated(TransportProtocol.UDP);
        reply(c, allocateSuccess(), StunProtection.integrity(KEY));
        assertThat(c.dropped(TurnClientDrop.UNMATCHED_RESPONSE)).isEqualTo(1);
        assertThat(events).filteredOn(TurnClientEvent.TurnAllocated.class::isInstance).hasSize(1);
    }

    @Test
    void badInputIsCountedNeverThrown() {
        TurnClient c = allocated(TransportProtocol.UDP);
        feed(c, new byte[] {(byte) 0x80, 1, 2, 3}); // RTP-like
        feed(c, new byte[] {0x40, 0x00, 0x00, 0x10, 1}); // ChannelData longer than the datagram
        feed(c, new byte[] {0x40, 0x01, 0x00, 0x01, 1}); // a channel never bound
        byte[] stun = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.of(new byte[12])).build(),
                StunProtection.NONE);
        feed(c, stun); // a request from the server
        stun[3] = 8; // length beyond the bytes
        feed(c, stun);
        feed(c, dataIndication(PEER, "no permission for this peer"));
        feed(c, StunCodec.encode(StunMessage.builder(new MessageType(StunMethod.DATA, StunClass.INDICATION),
                TransactionId.of(new byte[12])).add(new XorPeerAddress(PEER)).build(), StunProtection.NONE));
        assertThat(c.dropped(TurnClientDrop.NOT_STUN_OR_CHANNEL_DATA)).isEqualTo(1);
        assertThat(c.dropped(TurnClientDrop.MALFORMED)).isEqualTo(2);
        assertThat(c.dropped(TurnClientDrop.UNKNOWN_CHANNEL)).isEqualTo(1);
        assertThat(c.dropped(TurnClientDrop.UNEXPECTED_MESSAGE)).isEqualTo(1);
        assertThat(c.dropped(TurnClientDrop.NO_PERMISSION)).isEqualTo(1);
        assertThat(c.dropped(TurnClientDrop.MISSING_ATTRIBUTE)).isEqualTo(1);
        assertThat(c.droppedTotal()).isEqualTo(7);
        assertThat(events).noneMatch(TurnClientEvent.TurnDataReceived.class::isInstance);
    }

    @Test
    void streamInputIsReassembledFromSingleBytes() {
        TurnClient c = client(TransportProtocol.TCP);
        c.allocate(clock.now());
        drain(c);
        byte[] challenge = StunCodec.encode(last().response(StunClass.ERROR_RESPONSE).add(ErrorCode.of(401))
                .add(new Realm(REALM)).add(new Nonce("n")).build(), StunProtection.NONE);
        for (byte b : challenge) {
            c.handleInput(clock.now(), ByteBuffer.wrap(new byte[] {b}));
            drain(c);
        }
        assertThat(requests).hasSize(2);
        byte[] ok = StunCodec.encode(allocateSuccess().build(), StunProtection.integrity(KEY));
        c.handleInput(clock.now(), ByteBuffer.wrap(ok, 0, 7));
        c.handleInput(clock.now(), ByteBuffer.wrap(ok, 7, ok.length - 7));
        drain(c);
        assertThat(c.state()).isEqualTo(TurnClientState.ALLOCATED);
        assertThat(c.mappedAddress()).isEqualTo(MAPPED);
    }

    @Test
    void garbageOnTheStreamEndsTheAllocation() {
        TurnClient c = allocated(TransportProtocol.TCP);
        events.clear();
        feed(c, new byte[] {(byte) 0x80, 0, 0, 0, 1, 2, 3, 4}); // RFC 8656 §12.5: no TURN frame starts like this
        assertThat(c.dropped(TurnClientDrop.STREAM_CORRUPTED)).isEqualTo(1);
        assertThat(c.state()).isEqualTo(TurnClientState.CLOSED);
        assertThat(events).containsExactly(new TurnClientEvent.TurnAllocationEnded(TurnClientEvent.EndReason.STREAM_CORRUPTED));
        feed(c, StunCodec.encode(allocateSuccess().build(), StunProtection.integrity(KEY))); // too late
        assertThat(c.dropped(TurnClientDrop.STREAM_CORRUPTED)).isEqualTo(2);
        assertThat(deadline).isEqualTo(Instant.MAX);
    }

    @Test
    void aClosedConnectionEndsTheAllocation() {
        TurnClient c = allocated(TransportProtocol.TLS);
        events.clear();
        c.streamClosed(clock.now());
        drain(c);
        assertThat(events).containsExactly(new TurnClientEvent.TurnAllocationEnded(TurnClientEvent.EndReason.CONNECTION_CLOSED));
        assertThat(c.state()).isEqualTo(TurnClientState.CLOSED);
        assertThatThrownBy(() -> allocated(TransportProtocol.UDP).streamClosed(clock.now()))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void misuseThrows() {
        TurnClient c = client(TransportProtocol.UDP);
        assertThatThrownBy(() -> c.send(clock.now(), PEER, ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> c.bindChannel(clock.now(), PEER)).isInstanceOf(IllegalStateException.class);
        c.allocate(clock.now());
        assertThatThrownBy(() -> c.allocate(clock.now())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> TurnClientConfig.builder("a", "b").transport(TransportProtocol.TCP)
                .retransmission(StunRetransmission.udp()).build()).isInstanceOf(IllegalArgumentException.class);
        TurnClient d = allocated(TransportProtocol.UDP);
        assertThatThrownBy(() -> d.send(clock.now(), PEER, ByteBuffer.allocate(70_000))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void releaseBeforeAllocationJustCloses() {
        TurnClient c = client(TransportProtocol.UDP);
        c.allocate(clock.now());
        drain(c);
        c.release(clock.now());
        drain(c);
        assertThat(events).containsExactly(new TurnClientEvent.TurnAllocationEnded(TurnClientEvent.EndReason.RELEASED));
        assertThat(deadline).isEqualTo(Instant.MAX);
        challenge(c, ErrorCode.UNAUTHENTICATED, "late");
        assertThat(requests).hasSize(1);
    }

    private void feed(TurnClient c, byte[] b) {
        c.handleInput(clock.now(), ByteBuffer.wrap(b));
        drain(c);
    }

    private static byte[] dataIndication(InetSocketAddress peer, String text) {
        return StunCodec.encode(StunMessage.builder(new MessageType(StunMethod.DATA, StunClass.INDICATION),
                        TransactionId.of(new byte[12]))
                .add(new XorPeerAddress(peer))
                .add(new Data(Bytes.of(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build(), StunProtection.NONE);
    }
}
