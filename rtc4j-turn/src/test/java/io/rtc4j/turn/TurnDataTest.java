package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.bytes;
import static io.rtc4j.turn.EngineHarness.only;
import static io.rtc4j.turn.EngineHarness.sock;
import static io.rtc4j.turn.EngineHarness.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.AddressFamily;
import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.Data;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.RequestedAddressFamily;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.UnknownAttribute;
import io.rtc4j.stun.XorPeerAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Relaying (RFC 8656 §11, §12.5-12.7), drops and their counters, bandwidth limits. */
class TurnDataTest {

    private static final FiveTuple A = udp("192.0.2.10", 40000);
    private static final InetSocketAddress PEER = sock("198.51.100.1", 5000);
    private static final byte[] HELLO = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private EngineHarness h = EngineHarness.create();
    private TurnTestClient c = TurnTestClient.alice(h, A);

    private void allocateWithPermission() {
        c.allocateOk();
        c.createPermission(PEER);
    }

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private void assertDropped(List<TurnOutput> out, DropReason reason, long expectedCount) {
        assertThat(out).isEmpty();
        assertThat(h.metrics.drops(reason)).as("%s", reason).isEqualTo(expectedCount);
    }

    @Test
    void sendIndicationGoesToThePeerWithExactlyThePayload() {
        allocateWithPermission();
        List<TurnOutput> out = c.sendIndication(PEER, HELLO);
        assertThat(out).hasSize(1);
        TurnOutput.ToPeer p = (TurnOutput.ToPeer) out.get(0);
        assertThat(p.relay()).isSameAs(c.relay());
        assertThat(p.peer()).isEqualTo(PEER);
        assertThat(bytes(p.data())).isEqualTo(HELLO);
        assertThat(h.metrics.packetsToPeer()).isEqualTo(1);
        assertThat(h.metrics.bytesToPeer()).isEqualTo(5);
    }

    @Test
    void peerDatagramBecomesADataIndication() {
        allocateWithPermission();
        List<TurnOutput> out = h.fromPeer(c.relay(), PEER, HELLO);
        assertThat(out).hasSize(1);
        TurnOutput.ToClient tc = (TurnOutput.ToClient) out.get(0);
        assertThat(tc.tuple()).isEqualTo(A);
        StunMessage m = TurnTestClient.decode(tc.data());
        assertThat(m.type()).isEqualTo(new MessageType(StunMethod.DATA, StunClass.INDICATION));
        assertThat(m.getOrNull(XorPeerAddress.class).address()).isEqualTo(PEER);
        assertThat(m.getOrNull(Data.class).value()).isEqualTo(Bytes.of(HELLO));
        assertThat(h.metrics.packetsToClient()).isEqualTo(1);
        assertThat(h.metrics.bytesToClient()).isEqualTo(5);
    }

    @Test
    void peerDatagramOnABoundChannelBecomesChannelData() {
        c.allocateOk();
        c.channelBind(0x4ABC, PEER);
        List<TurnOutput> out = h.fromPeer(c.relay(), PEER, HELLO);
        byte[] cd = bytes(((TurnOutput.ToClient) out.get(0)).data());
        assertThat(cd).isEqualTo(new byte[] {0x4A, (byte) 0xBC, 0, 5, 'h', 'e', 'l', 'l', 'o'}); // no padding over UDP
        // another port of the same address is a different transport address: no channel for it
        StunMessage m = TurnTestClient.decode(((TurnOutput.ToClient) h.fromPeer(c.relay(), sock("198.51.100.1", 5001), HELLO).get(0)).data());
        assertThat(m.method()).isEqualTo(StunMethod.DATA);
    }

    @Test
    void channelDataFromTheClientGoesToTheBoundPeer() {
        c.allocateOk();
        c.channelBind(0x4000, PEER);
        List<TurnOutput> out = c.channelData(0x4000, HELLO);
        TurnOutput.ToPeer p = (TurnOutput.ToPeer) out.get(0);
        assertThat(p.peer()).isEqualTo(PEER);
        assertThat(bytes(p.data())).isEqualTo(HELLO);
        // a datagram longer than the claimed length (padding) is fine; the extra bytes are not relayed
        byte[] padded = Arrays.copyOf(TurnTestClient.channelDataBytes(0x4000, HELLO, false), 12);
        assertThat(bytes(((TurnOutput.ToPeer) h.fromClient(A, padded).get(0)).data())).isEqualTo(HELLO);
        // zero length is valid and still sends a datagram (RFC 8656 §12.6)
        assertThat(bytes(((TurnOutput.ToPeer) c.channelData(0x4000, new byte[0]).get(0)).data())).isEmpty();
    }

    @Test
    void overTcpChannelDataToTheClientIsPaddedToAMultipleOfFour() {
        FiveTuple tcp = EngineHarness.tcp("192.0.2.10", 40001);
        c = TurnTestClient.alice(h, tcp);
        c.allocateOk();
        c.channelBind(0x4001, PEER);
        for (int n = 0; n <= 8; n++) {
            byte[] data = payload(n);
            // as a plain buffer, with headroom for an in-place header, and with headroom but no tail room
            ByteBuffer plain = ByteBuffer.wrap(data.clone());
            ByteBuffer roomy = ByteBuffer.allocate(4 + n + 3);
            roomy.position(4);
            roomy.put(data).flip().position(4);
            ByteBuffer tight = ByteBuffer.allocate(4 + n);
            tight.position(4);
            tight.put(data).flip().position(4);
            for (ByteBuffer in : List.of(plain, roomy, tight)) {
                byte[] cd = bytes(((TurnOutput.ToClient) h.fromPeer(c.relay(), PEER, in).get(0)).data());
                assertThat(cd.length % 4).as("length %d", n).isZero();
                assertThat(cd.length).isEqualTo(4 + ((n + 3) & ~3));
                assertThat(ByteBuffer.wrap(cd).getShort(0)).isEqualTo((short) 0x4001);
                assertThat(ByteBuffer.wrap(cd).getShort(2)).isEqualTo((short) n);
                assertThat(Arrays.copyOfRange(cd, 4, 4 + n)).isEqualTo(data);
                for (int i = 4 + n; i < cd.length; i++) {
                    assertThat(cd[i]).as("padding").isZero();
                }
            }
        }
        // the client's own padded frame is accepted too
        byte[] framed = TurnTestClient.channelDataBytes(0x4001, HELLO, true);
        assertThat(framed).hasSize(12);
        assertThat(bytes(((TurnOutput.ToPeer) h.fromClient(tcp, framed).get(0)).data())).isEqualTo(HELLO);
    }

    @Test
    void dropsAreCountedAndSilent() {
        // no allocation
        assertDropped(c.sendIndication(PEER, HELLO), DropReason.NO_ALLOCATION, 1);
        assertDropped(c.channelData(0x4000, HELLO), DropReason.NO_ALLOCATION, 2);
        FakeRelayAllocator.FakeRelay stranger = new FakeRelayAllocator.FakeRelay(sock("192.0.2.100", 1), false);
        assertDropped(h.fromPeer(stranger, PEER, HELLO), DropReason.NO_ALLOCATION, 3);

        c.allocateOk();
        // no permission, either way
        assertDropped(c.sendIndication(PEER, HELLO), DropReason.NO_PERMISSION, 1);
        assertDropped(h.fromPeer(c.relay(), PEER, HELLO), DropReason.NO_PERMISSION, 2);
        // a channel that is not bound
        c.createPermission(PEER);
        assertDropped(c.channelData(0x4000, HELLO), DropReason.CHANNEL_NOT_BOUND, 1);
        // a length field longer than the datagram
        c.channelBind(0x4000, PEER);
        byte[] cd = TurnTestClient.channelDataBytes(0x4000, HELLO, false);
        cd[3] = 6;
        assertDropped(h.fromClient(A, cd), DropReason.MALFORMED, 1);
        // Send indications without DATA or XOR-PEER-ADDRESS, with unknown comprehension-required attributes
        assertDropped(sendIndication(new XorPeerAddress(PEER)), DropReason.MISSING_ATTRIBUTE, 1);
        assertDropped(sendIndication(new Data(Bytes.of(HELLO))), DropReason.MISSING_ATTRIBUTE, 2);
        assertDropped(sendIndication(new XorPeerAddress(PEER), new Data(Bytes.of(HELLO)), new UnknownAttribute(0x0077, Bytes.EMPTY)),
                DropReason.UNKNOWN_ATTRIBUTE_IN_INDICATION, 1);
        // a Data indication is the server's to send, not the client's
        StunMessage data = StunMessage.builder(new MessageType(StunMethod.DATA, StunClass.INDICATION), TransactionId.random(h.random))
                .add(new XorPeerAddress(PEER)).add(new Data(Bytes.of(HELLO))).build();
        assertDropped(h.fromClient(A, StunCodec.encode(data, StunProtection.NONE)), DropReason.UNEXPECTED_CLASS, 1);
        // a channel number above the accepted range is not ChannelData at all (RFC 7983 first byte)
        byte[] reserved = TurnTestClient.channelDataBytes(ChannelData.MAX_CHANNEL + 1, HELLO, false);
        assertDropped(h.fromClient(A, reserved), DropReason.NOT_STUN_OR_CHANNEL_DATA, 1);
        assertThat(h.metrics.packetsToPeer()).isZero();
        assertThat(h.metrics.packetsToClient()).isZero();
    }

    private List<TurnOutput> sendIndication(io.rtc4j.stun.StunAttribute... attrs) {
        StunMessage.Builder b = StunMessage.builder(new MessageType(StunMethod.SEND, StunClass.INDICATION), TransactionId.random(h.random));
        Arrays.stream(attrs).forEach(b::add);
        return h.fromClient(A, StunCodec.encode(b.build(), StunProtection.NONE));
    }

    @Test
    void bandwidthLimitDropsTheExcessAndRecoversWithVirtualTime() {
        h = EngineHarness.builder().config(cfg -> cfg.withMaxBytesPerSecond(1000)).build();
        c = TurnTestClient.alice(h, A);
        allocateWithPermission();
        byte[] six = payload(600);
        assertThat(c.sendIndication(PEER, six)).hasSize(1);
        assertThat(c.sendIndication(PEER, six)).isEmpty();
        assertThat(h.fromPeer(c.relay(), PEER, six)).hasSize(1); // each direction has its own bucket
        assertThat(h.fromPeer(c.relay(), PEER, six)).isEmpty();
        assertThat(h.metrics.drops(DropReason.BANDWIDTH_LIMIT)).isEqualTo(2);
        h.advance(Duration.ofMillis(199));
        assertThat(c.sendIndication(PEER, six)).isEmpty(); // 400 + 199 bytes of credit
        h.advance(Duration.ofMillis(1));
        assertThat(c.sendIndication(PEER, six)).hasSize(1);
        h.advance(Duration.ofSeconds(5)); // never more than one second's worth
        assertThat(c.channelData(0x4000, six)).isEmpty(); // (not bound: no credit used)
        c.channelBind(0x4000, PEER);
        assertThat(c.channelData(0x4000, six)).hasSize(1);
        assertThat(c.channelData(0x4000, payload(400))).hasSize(1);
        assertThat(c.channelData(0x4000, payload(1))).isEmpty();
        assertThat(h.metrics.bytesToPeer()).isEqualTo(600 + 600 + 600 + 400);
    }

    /** Sends {@code n} bytes from {@code peer} and says whether the client got them (else a TOO_LARGE drop). */
    private boolean forwarded(FakeRelayAllocator.FakeRelay relay, InetSocketAddress peer, int n) {
        long drops = h.metrics.drops(DropReason.TOO_LARGE);
        List<TurnOutput> out = h.fromPeer(relay, peer, payload(n)); // the harness checks every size
        boolean delivered = !only(out, TurnOutput.ToClient.class).isEmpty();
        assertThat(h.metrics.drops(DropReason.TOO_LARGE)).as("%d bytes", n).isEqualTo(delivered ? drops : drops + 1);
        return delivered;
    }

    /**
     * A peer datagram is forwarded iff its Data indication or ChannelData fits what the client's transport
     * carries: one UDP datagram (65507 bytes over IPv4) or, over TCP, one STUN message (20 + 0xFFFC) or one
     * ChannelData frame (16-bit length). Anything bigger is a counted drop, never an exception.
     */
    @Test
    void peerDatagramsTooLargeToForwardAreDroppedNotThrown() {
        c.allocateOk(RequestedAddressFamily.of(AddressFamily.IPV6));
        InetSocketAddress peer6 = sock("2001:db8:beef::7", 5000);
        c.createPermission(peer6);
        // UDP, Data indication: 20 + 24 (XOR-PEER-ADDRESS, IPv6) + 4 + padded data <= 65507
        assertThat(forwarded(c.relay(), peer6, 65_000)).isTrue();
        assertThat(forwarded(c.relay(), peer6, 65_456)).isTrue();
        assertThat(forwarded(c.relay(), peer6, 65_457)).isFalse();
        assertThat(forwarded(c.relay(), peer6, 65_507)).isFalse();
        assertThat(forwarded(c.relay(), peer6, 70_000)).isFalse();
        // UDP, ChannelData: 4 + data <= 65507
        c.channelBind(0x4000, peer6);
        assertThat(forwarded(c.relay(), peer6, 65_503)).isTrue();
        assertThat(forwarded(c.relay(), peer6, 65_504)).isFalse();
        assertThat(forwarded(c.relay(), peer6, 70_000)).isFalse();

        FiveTuple tcp = EngineHarness.tcp("192.0.2.10", 40001);
        TurnTestClient t = TurnTestClient.alice(h, tcp);
        t.allocateOk(RequestedAddressFamily.of(AddressFamily.IPV6));
        t.createPermission(peer6);
        // TCP, Data indication: 20 + 24 + 4 + padded data <= 20 + 0xFFFC
        assertThat(forwarded(t.relay(), peer6, 65_504)).isTrue();
        assertThat(forwarded(t.relay(), peer6, 65_505)).isFalse();
        assertThat(forwarded(t.relay(), peer6, 65_507)).isFalse();
        // TCP, ChannelData: a 16-bit length, padded
        t.channelBind(0x4000, peer6);
        assertThat(forwarded(t.relay(), peer6, 65_535)).isTrue();
        assertThat(forwarded(t.relay(), peer6, 65_536)).isFalse();
        h.assertConsistent();
    }

    @Test
    void aModestPeerDatagramIsForwardedWhole() {
        c.allocateOk();
        c.createPermission(PEER);
        byte[] big = payload(65_000);
        StunMessage m = TurnTestClient.decode(((TurnOutput.ToClient) h.fromPeer(c.relay(), PEER, big).get(0)).data());
        assertThat(m.getOrNull(Data.class).value()).isEqualTo(Bytes.of(big));
        c.channelBind(0x4000, PEER);
        byte[] cd = bytes(((TurnOutput.ToClient) h.fromPeer(c.relay(), PEER, big).get(0)).data());
        assertThat(cd).hasSize(65_004);
    }

    @Test
    void sendIndicationTooLargeForAUdpDatagramIsDropped() {
        allocateWithPermission();
        // a 65535-byte DATA fits a STUN message over TCP but no UDP datagram can carry it to the peer
        FiveTuple tcp = EngineHarness.tcp("192.0.2.10", 40001);
        TurnTestClient t = TurnTestClient.alice(h, tcp);
        t.allocateOk();
        t.createPermission(PEER);
        assertThat(t.sendIndication(PEER, payload(65_000))).hasSize(1);
        assertThat(t.sendIndication(PEER, payload(65_510))).isEmpty(); // harness also checks ToPeer sizes
        assertThat(h.metrics.drops(DropReason.TOO_LARGE)).isEqualTo(1);
        byte[] framed = TurnTestClient.channelDataBytes(0x4000, payload(65_535), true);
        t.channelBind(0x4000, PEER);
        assertThat(h.fromClient(tcp, framed)).isEmpty();
        assertThat(h.metrics.drops(DropReason.TOO_LARGE)).isEqualTo(2);
    }
}
