package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.only;
import static io.rtc4j.turn.EngineHarness.sock;
import static io.rtc4j.turn.EngineHarness.udp;
import static io.rtc4j.turn.TurnTestClient.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.stun.AdditionalAddressFamily;
import io.rtc4j.stun.AddressFamily;
import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.Data;
import io.rtc4j.stun.DontFragment;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.EvenPort;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedAddressFamily;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.ReservationToken;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.UnknownAttribute;
import io.rtc4j.stun.UnknownAttributes;
import io.rtc4j.stun.Username;
import io.rtc4j.stun.XorPeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Hostile and broken input: never an exception, never a leaked allocation, relay or quota, no state for
 * unauthenticated sources, and nothing emitted larger than its transport can carry (checked by the harness
 * on every drain).
 */
class TurnRobustnessTest {

    private static final FiveTuple A = udp("192.0.2.10", 40000);
    private static final InetSocketAddress PEER = sock("198.51.100.1", 5000);

    private final EngineHarness h = EngineHarness.builder().quotas(new QuotaPolicy(0, 0)).build();

    private byte[] signedAllocate(TurnTestClient c) {
        return c.sign(c.builder(StunMethod.ALLOCATE).add(new RequestedTransport(17)).add(new Lifetime(700)));
    }

    @Test
    void everyTruncationOfASignedAllocateIsHarmless() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        byte[] full = signedAllocate(c);
        for (int n = 0; n < full.length; n++) {
            h.fromClient(A, java.util.Arrays.copyOf(full, n));
            assertThat(h.engine.allocationCount()).as("prefix %d", n).isZero();
        }
        h.assertEmpty();
        assertThat(h.metrics.dropsTotal()).isEqualTo(full.length);
    }

    @Test
    void everyBitFlipOfASignedAllocateIsHarmless() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        byte[] full = signedAllocate(c);
        for (int bit = 0; bit < full.length * 8; bit++) {
            byte[] b = full.clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            for (TurnOutput o : h.fromClient(A, b)) {
                // whatever comes back is a well-formed, non-success STUN message (or nothing at all)
                StunMessage m = TurnTestClient.decodeOrNull(((TurnOutput.ToClient) o).data());
                if (m != null && !m.method().equals(StunMethod.BINDING)) { // a flipped type bit can make a Binding
                    assertThat(m.messageClass()).as("bit %d", bit).isNotEqualTo(StunClass.SUCCESS_RESPONSE);
                }
            }
            assertThat(h.engine.allocationCount()).as("bit %d", bit).isZero();
        }
        h.assertEmpty();
        // the unmodified request still works afterwards
        assertThat(c.exchange(full).code()).isZero();
    }

    @Test
    void integrityFailingRequestsNeverAllocate() {
        SplittableRandom r = new SplittableRandom(7);
        TurnTestClient real = TurnTestClient.alice(h, A).ready();
        for (int i = 0; i < 500; i++) {
            byte[] key = new byte[16];
            r.nextBytes(key);
            TurnTestClient c = new TurnTestClient(h, A, i % 2 == 0 ? "alice" : "user" + i, key);
            c.realm = real.realm;
            c.nonce = real.nonce;
            assertThat(c.exchange(signedAllocate(c)).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        }
        h.assertEmpty();
        assertThat(h.metrics.authFailures()).isEqualTo(500);
    }

    @Test
    void aFloodOfUnauthenticatedAllocatesFromSpoofedSourcesLeavesNoState() throws Exception {
        TurnTestClient template = TurnTestClient.alice(h, A);
        byte[] plain = template.encode(template.builder(StunMethod.ALLOCATE).add(new RequestedTransport(17)).build(), StunProtection.NONE);
        template.realm = EngineHarness.REALM;
        template.nonce = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"; // well-formed, never issued
        byte[] forged = signedAllocate(template);
        int n = 100_000;
        int largest = 0;
        for (int i = 0; i < n; i++) {
            InetAddress ip = InetAddress.getByAddress(new byte[] {100, (byte) (i >> 16), (byte) (i >> 8), (byte) i});
            FiveTuple from = new FiveTuple(TransportProtocol.UDP, new InetSocketAddress(ip, 1024 + (i % 50_000)), EngineHarness.SERVER_V4);
            h.engine.handleClientInput(h.now(), from, ByteBuffer.wrap((i & 1) == 0 ? plain : forged));
            TurnOutput o;
            int responses = 0;
            while (!((o = h.engine.pollOutput()) instanceof TurnOutput.Timeout)) {
                responses++;
                largest = Math.max(largest, ((TurnOutput.ToClient) o).data().remaining());
            }
            assertThat(responses).isEqualTo(1);
            if (i % 10_000 == 0) {
                h.clock.advance(Duration.ofMillis(1));
            }
        }
        assertThat(largest).isLessThan(200); // a challenge is small: no amplification
        assertThat(h.metrics.requests()).isEqualTo(n);
        assertThat(h.relays.opened).isEmpty();
        h.assertEmpty();
    }

    @Test
    void responsesNeverExceedTheSizeOfAStunMessage() {
        // the largest possible Binding request: 16383 empty unknown comprehension-required attributes
        TurnTestClient c = TurnTestClient.alice(h, A);
        StunMessage.Builder b = c.builder(StunMethod.BINDING);
        for (int i = 0; i < 16383; i++) {
            b.add(new UnknownAttribute(0x0030 + (i % 64), Bytes.EMPTY));
        }
        byte[] req = c.encode(b.build(), StunProtection.NONE);
        assertThat(req).hasSize(StunCodec.MAX_MESSAGE_LENGTH);
        StunMessage r = c.exchange(req).response(); // harness asserts every size
        assertThat(code(r)).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
        assertThat(r.getOrNull(UnknownAttributes.class).types()).hasSize(16383);

        // the same for an authenticated Allocate, whose answer also carries MESSAGE-INTEGRITY
        c.ready();
        StunMessage.Builder a = c.builder(StunMethod.ALLOCATE).add(new RequestedTransport(17));
        for (int i = 0; i < 16300; i++) {
            a.add(new UnknownAttribute(0x0030 + (i % 64), Bytes.EMPTY));
        }
        StunMessage ar = c.exchange(c.sign(a)).response();
        assertThat(code(ar)).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
        assertThat(ar.verifyIntegrity(c.key)).isTrue();

        // oversized and inconsistent inputs are dropped
        byte[] huge = new byte[70_000];
        ByteBuffer.wrap(huge).putShort((short) 0x0003).putShort((short) 0xFFFC).putInt(StunCodec.MAGIC_COOKIE);
        assertThat(h.fromClient(A, huge)).isEmpty();
        assertThat(h.fromClient(A, ByteBuffer.allocate(100_000))).isEmpty();
        h.assertEmpty();
    }

    /** Random shapes, from random sources, with random time steps: a deterministic property test. */
    @Test
    void randomInputNeverThrowsOrLeaks() {
        SplittableRandom r = new SplittableRandom(2026);
        TurnTestClient c = TurnTestClient.alice(h, A);
        c.allocateOk(new EvenPort(true));
        c.createPermission(PEER);
        c.channelBind(0x4000, PEER);
        FiveTuple[] tuples = {A, udp("192.0.2.11", 1), EngineHarness.tcp("192.0.2.10", 40000), udp("2001:db8:1::1", 9)};
        for (int i = 0; i < 30_000; i++) {
            FiveTuple from = tuples[r.nextInt(tuples.length)];
            byte[] input = switch (r.nextInt(6)) {
                case 0 -> randomBytes(r, r.nextInt(120));
                case 1 -> stunShaped(r);
                case 2 -> channelDataShaped(r);
                case 3 -> rfc3489Shaped(r);
                default -> signedRandomRequest(r, new TurnTestClient(h, from, "alice", c.key), c);
            };
            h.fromClient(from, input);
            if (r.nextInt(10) == 0) {
                List<RelayEndpoint> live = new ArrayList<>(h.relays.live());
                RelayEndpoint relay = live.isEmpty() || r.nextInt(20) == 0
                        ? new FakeRelayAllocator.FakeRelay(sock("192.0.2.100", 1), false)
                        : live.get(r.nextInt(live.size()));
                h.fromPeer(relay, r.nextBoolean() ? PEER : sock("203.0.113.9", r.nextInt(65536)), randomBytes(r, r.nextInt(200)));
            }
            if (r.nextInt(50) == 0) {
                h.advance(Duration.ofSeconds(r.nextInt(400)));
            }
            if (i % 1000 == 0) {
                h.assertConsistent();
            }
        }
        h.assertConsistent();
        h.close();
        h.assertEmpty();
    }

    private static byte[] randomBytes(SplittableRandom r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static byte[] stunShaped(SplittableRandom r) {
        ByteBuffer b = ByteBuffer.allocate(20 + 4 * r.nextInt(40));
        b.putShort((short) (r.nextInt(0x4000))).putShort((short) (b.capacity() - 20)).putInt(StunCodec.MAGIC_COOKIE);
        b.put(randomBytes(r, 12));
        while (b.remaining() >= 4) {
            int len = Math.min(b.remaining() - 4, r.nextInt(3) == 0 ? r.nextInt(40) : 4 * r.nextInt(5));
            int[] types = {0x0003, 0x000C, 0x000D, 0x0012, 0x0013, 0x0016, 0x0017, 0x0018, 0x0019, 0x001A, 0x0022, 0x8000, 0x0006, 0x0008, 0x0014, 0x0015, 0x8028};
            int type = r.nextBoolean() ? types[r.nextInt(types.length)] : r.nextInt(0x10000);
            b.putShort((short) type).putShort((short) len).put(randomBytes(r, len));
            int pad = Math.min(b.remaining(), (4 - (len & 3)) & 3);
            b.put(new byte[pad]);
        }
        return b.array();
    }

    private static byte[] channelDataShaped(SplittableRandom r) {
        int len = r.nextInt(64);
        ByteBuffer b = ByteBuffer.allocate(4 + r.nextInt(80));
        b.putShort((short) (0x4000 + r.nextInt(0x1000))).putShort((short) len);
        b.put(randomBytes(r, b.remaining()));
        return b.array();
    }

    private static byte[] rfc3489Shaped(SplittableRandom r) {
        ByteBuffer b = ByteBuffer.allocate(20 + 4 * r.nextInt(6));
        b.putShort((short) 1).putShort((short) (r.nextInt(4) == 0 ? r.nextInt(100) : b.capacity() - 20)).put(randomBytes(r, 16));
        while (b.remaining() >= 4) {
            b.putShort((short) (r.nextBoolean() ? 3 : r.nextInt(20))).putShort((short) (r.nextInt(3) == 0 ? r.nextInt(30) : 0));
        }
        return b.array();
    }

    /** An authenticated request with a random method and random (well-formed) attributes. */
    private byte[] signedRandomRequest(SplittableRandom r, TurnTestClient c, TurnTestClient learned) {
        if (learned.nonce == null) {
            learned.ready();
        }
        c.realm = learned.realm;
        c.nonce = h.nonces.issue(c.tuple.client(), h.now());
        StunMethod[] methods = {StunMethod.ALLOCATE, StunMethod.REFRESH, StunMethod.CREATE_PERMISSION, StunMethod.CHANNEL_BIND, StunMethod.BINDING};
        StunMessage.Builder b = StunMessage.builder(
                new MessageType(methods[r.nextInt(methods.length)], StunClass.REQUEST), TransactionId.random(h.random));
        int n = r.nextInt(5);
        for (int i = 0; i < n; i++) {
            b.add(randomAttribute(r));
        }
        return c.sign(b);
    }

    private static StunAttribute randomAttribute(SplittableRandom r) {
        InetSocketAddress[] peers = {PEER, sock("203.0.113.9", 1), sock("127.0.0.1", 1), sock("2001:db8:beef::1", 2), sock("10.0.0.1", 3)};
        return switch (r.nextInt(13)) {
            case 0 -> new RequestedTransport(r.nextBoolean() ? 17 : r.nextInt(256));
            case 1 -> new Lifetime(r.nextBoolean() ? r.nextInt(5) : r.nextLong(0x1_0000_0000L));
            case 2 -> new EvenPort(r.nextBoolean());
            case 3 -> new ReservationToken(r.nextLong());
            case 4 -> new RequestedAddressFamily(r.nextBoolean() ? 1 + r.nextInt(2) : r.nextInt(256));
            case 5 -> new AdditionalAddressFamily(r.nextBoolean() ? 1 + r.nextInt(2) : r.nextInt(256));
            case 6, 7 -> new XorPeerAddress(peers[r.nextInt(peers.length)]);
            case 8 -> new ChannelNumber(r.nextBoolean() ? 0x4000 + r.nextInt(4) : r.nextInt(0x10000));
            case 9 -> DontFragment.INSTANCE;
            case 10 -> new Data(Bytes.of(randomBytes(r, r.nextInt(10))));
            case 11 -> new UnknownAttribute(r.nextInt(0x10000), Bytes.of(randomBytes(r, r.nextInt(6))));
            default -> new Username("x");
        };
    }

    @Test
    void closeDeletesEverythingAndReleasesPortsAndQuotas() {
        TurnTestClient udpClient = TurnTestClient.alice(h, A);
        udpClient.allocateOk(new EvenPort(true));
        udpClient.createPermission(PEER);
        udpClient.channelBind(0x4000, PEER);
        FiveTuple tcp = EngineHarness.tcp("192.0.2.10", 40001);
        TurnTestClient.alice(h, tcp).allocateOk();
        TurnTestClient.alice(h, udp("192.0.2.12", 1)).allocateOk(AdditionalAddressFamily.of(AddressFamily.IPV6));
        new TurnTestClient(h, udp("2001:db8:1::1", 1), "bob", "bob-secret").allocateOk(RequestedAddressFamily.of(AddressFamily.IPV6));
        assertThat(h.relays.openCount()).isEqualTo(6); // even + reserved, tcp, dual (2), IPv6
        h.engine.handleConnectionClosed(h.now(), tcp);
        assertThat(only(h.drain(), TurnOutput.AllocationDeleted.class))
                .containsExactly(new TurnOutput.AllocationDeleted(tcp, "alice", TurnOutput.DeleteReason.CONNECTION_CLOSED));
        h.assertConsistent();

        List<TurnOutput> out = h.close();
        List<TurnOutput.AllocationDeleted> deleted = only(out, TurnOutput.AllocationDeleted.class);
        assertThat(deleted).hasSize(3).allMatch(d -> d.reason() == TurnOutput.DeleteReason.SHUTDOWN);
        assertThat(h.relays.opened).allMatch(rel -> rel.closed);
        h.assertEmpty();
        Instant later = h.now().plusSeconds(3600);
        h.engine.handleTimeout(later); // nothing left to expire, nothing to throw
        assertThat(h.drain()).isEmpty();
    }

    @Test
    void configRejectsABandwidthTheLimiterCannotHold() {
        assertThatThrownBy(() -> TurnServerConfig.defaults("r").withMaxBytesPerSecond(BandwidthLimiter.MAX_BYTES_PER_SECOND + 1))
                .isInstanceOf(IllegalArgumentException.class);
        TurnServerConfig.defaults("r").withMaxBytesPerSecond(BandwidthLimiter.MAX_BYTES_PER_SECOND); // the largest is fine
    }

    @Test
    void malformedStunIsCountedAsMalformed() {
        byte[] b = new byte[24];
        ByteBuffer.wrap(b).putShort((short) 0x0001).putShort((short) 4).putInt(StunCodec.MAGIC_COOKIE).position(20).putShort((short) 0x0006).putShort((short) 9);
        assertThat(h.fromClient(A, b)).isEmpty();
        assertThat(h.metrics.drops(DropReason.MALFORMED)).isEqualTo(1);
        byte[] response = StunCodec.encode(StunMessage.builder(MessageType.BINDING_SUCCESS, TransactionId.random(h.random)).build(), StunProtection.NONE);
        assertThat(h.fromClient(A, response)).isEmpty();
        assertThat(h.metrics.drops(DropReason.UNEXPECTED_CLASS)).isEqualTo(1);
        // an absurd username is just an unknown user
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        StunMessage.Builder req = c.builder(StunMethod.ALLOCATE).add(new Realm(c.realm)).add(new Nonce(c.nonce)).add(new Username("a".repeat(513)));
        assertThat(c.exchange(c.encode(req.build(), StunProtection.integrity(c.key))).code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        h.assertEmpty();
    }
}
