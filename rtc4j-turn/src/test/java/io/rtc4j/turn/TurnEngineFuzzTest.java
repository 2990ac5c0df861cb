package io.rtc4j.turn;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtc4j.stun.AttributeType;
import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.StunAttributeCodec;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import io.rtc4j.stun.XorPeerAddress;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Jazzer target for every server-facing entry point of {@link TurnServerEngine}. Each run starts an engine
 * that already holds an authenticated allocation (UDP, with a permission and channel 0x4000 towards PEER) and
 * one over TCP, then plays the input as a script of operations:
 *
 * <pre>
 *   op (1 byte) | length (2 bytes, big-endian) | payload (length bytes; the rest if fewer remain) ...
 *   op & 7: 0 payload as client input from an unknown UDP 5-tuple
 *           1 payload as client input from the allocated UDP 5-tuple
 *           2 payload as client input (one framed message) from the allocated TCP 5-tuple
 *           3 payload as a datagram from PEER to the UDP allocation's relay
 *           4 payload as a datagram from another address to the TCP allocation's relay
 *           5 a request signed with the allocation's credentials: payload[0] picks the method and class,
 *             payload[1..] are raw attributes (so the fuzzer reaches the authenticated handlers);
 *             bit 3 sends it from the unknown 5-tuple instead
 *           6 advance the virtual clock by (op >>> 3) * 10 seconds, running due timers
 *           7 the TCP connection closes (bit 3 clear) or the engine closes (bit 3 set)
 * </pre>
 *
 * No exception may escape; after every operation the engine's books must balance (allocations, relays,
 * quotas, metrics) and nothing it emits may exceed what its transport carries; at the end close() must
 * leave nothing behind. Runs the seed corpus as a regression test; JAZZER_FUZZ=1 fuzzes.
 */
class TurnEngineFuzzTest {
    static final FiveTuple ALLOCATED = EngineHarness.udp("192.0.2.10", 40000);
    static final FiveTuple STRANGER = EngineHarness.udp("192.0.2.66", 40066);
    static final FiveTuple TCP = EngineHarness.tcp("2001:db8:1::10", 40001);
    static final InetSocketAddress PEER = EngineHarness.sock("198.51.100.1", 5000);
    static final InetSocketAddress OTHER_PEER = EngineHarness.sock("2001:db8:beef::9", 6000);

    /** payload[0] % 8 picks one of these message types for op 5. */
    private static final MessageType[] SIGNED_TYPES = {
        new MessageType(StunMethod.ALLOCATE, StunClass.REQUEST),
        new MessageType(StunMethod.REFRESH, StunClass.REQUEST),
        new MessageType(StunMethod.CREATE_PERMISSION, StunClass.REQUEST),
        new MessageType(StunMethod.CHANNEL_BIND, StunClass.REQUEST),
        new MessageType(StunMethod.BINDING, StunClass.REQUEST),
        new MessageType(StunMethod.SEND, StunClass.INDICATION),
        new MessageType(new StunMethod(0x00A), StunClass.REQUEST),
        new MessageType(StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE),
    };

    @FuzzTest(maxDuration = "30s")
    void engine(byte[] input) {
        EngineHarness h = EngineHarness.builder().quotas(new QuotaPolicy(3, 20)).build();
        TurnTestClient udp = TurnTestClient.alice(h, ALLOCATED);
        udp.allocateOk(new Lifetime(1200));
        udp.createPermission(PEER);
        udp.channelBind(0x4000, PEER);
        FakeRelayAllocator.FakeRelay udpRelay = udp.relay();
        TurnTestClient tcp = TurnTestClient.alice(h, TCP);
        tcp.allocateOk(io.rtc4j.stun.RequestedAddressFamily.of(io.rtc4j.stun.AddressFamily.IPV6));
        tcp.createPermission(OTHER_PEER);
        tcp.channelBind(0x4001, OTHER_PEER);
        FakeRelayAllocator.FakeRelay tcpRelay = tcp.relay();
        h.assertConsistent();

        ByteBuffer in = ByteBuffer.wrap(input);
        while (in.hasRemaining()) {
            int op = in.get() & 0xFF;
            int length = in.remaining() >= 2 ? in.getShort() & 0xFFFF : 0;
            byte[] payload = new byte[Math.min(length, in.remaining())];
            in.get(payload);
            switch (op & 7) {
                case 0 -> h.fromClient(STRANGER, payload);
                case 1 -> h.fromClient(ALLOCATED, headroom(payload, op));
                case 2 -> h.fromClient(TCP, payload);
                case 3 -> h.fromPeer(udpRelay, PEER, headroom(payload, op));
                case 4 -> h.fromPeer(tcpRelay, (op & 8) == 0 ? OTHER_PEER : PEER, headroom(payload, op));
                case 5 -> h.fromClient((op & 8) == 0 ? ALLOCATED : STRANGER, signed(h, udp, (op & 8) == 0 ? ALLOCATED : STRANGER, payload));
                case 6 -> h.advance(Duration.ofSeconds(10L * (op >>> 3)));
                default -> {
                    if ((op & 8) == 0) {
                        h.engine.handleConnectionClosed(h.now(), TCP);
                        h.drain();
                    } else {
                        h.close();
                    }
                }
            }
            h.assertConsistent();
        }
        h.close();
        h.assertEmpty();
    }

    /** Like a driver that reads at an offset: the payload behind 4 bytes of headroom (bit 4 of op). */
    private static ByteBuffer headroom(byte[] payload, int op) {
        if ((op & 0x10) == 0) {
            return ByteBuffer.wrap(payload);
        }
        ByteBuffer b = ByteBuffer.allocate(4 + payload.length + 8);
        b.position(4);
        b.put(payload);
        return b.flip().position(4);
    }

    /**
     * A request with raw attribute bytes, then USERNAME, REALM, NONCE (valid for {@code from} now) and a
     * correct MESSAGE-INTEGRITY with the client's key: built by hand so malformed attributes get signed too.
     */
    static byte[] signed(EngineHarness h, TurnTestClient c, FiveTuple from, byte[] payload) {
        MessageType type = SIGNED_TYPES[payload.length == 0 ? 0 : (payload[0] & 0xFF) % SIGNED_TYPES.length];
        byte[] attrs = payload.length == 0 ? new byte[0] : Arrays.copyOfRange(payload, 1, payload.length);
        int padded = (attrs.length + 3) & ~3;
        TransactionId tid = TransactionId.random(h.random);
        ByteBuffer b = ByteBuffer.allocate(20 + padded + 1024);
        b.putShort((short) type.encode()).putShort((short) 0).putInt(StunCodec.MAGIC_COOKIE);
        tid.write(b);
        b.put(attrs).position(20 + padded);
        StunAttributeCodec.encode(new Username(c.username), b, tid);
        StunAttributeCodec.encode(new Realm(EngineHarness.REALM), b, tid);
        StunAttributeCodec.encode(new Nonce(h.nonces.issue(from.client(), h.now())), b, tid);
        int lengthWithIntegrity = b.position() - 20 + 24;
        if (lengthWithIntegrity > 0xFFFF) {
            return Arrays.copyOf(b.array(), b.position()); // too long to sign: send as is
        }
        b.putShort(2, (short) lengthWithIntegrity);
        byte[] mac = hmacSha1(c.key, Arrays.copyOf(b.array(), b.position()));
        b.putShort((short) AttributeType.MESSAGE_INTEGRITY).putShort((short) 20).put(mac);
        return Arrays.copyOf(b.array(), b.position());
    }

    private static byte[] hmacSha1(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- seed corpus (src/test/resources/io/rtc4j/turn/TurnEngineFuzzTestInputs/engine/) ----

    static byte[] op(int op, byte[] payload) {
        return ByteBuffer.allocate(3 + payload.length).put((byte) op).putShort((short) payload.length).put(payload).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Raw attribute bytes (type, length, value, padding) as op 5 takes them after its first byte. */
    static byte[] attrs(int selector, io.rtc4j.stun.StunAttribute... list) {
        ByteBuffer b = ByteBuffer.allocate(1 + 256);
        b.put((byte) selector);
        TransactionId tid = new TransactionId(0, 0);
        for (io.rtc4j.stun.StunAttribute a : list) {
            StunAttributeCodec.encode(a, b, tid);
        }
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Writes the seed inputs into the directory given as the argument. Not a test; run by hand with the test
     * class path when the input format changes, e.g. {@code java -cp <test classpath> io.rtc4j.turn.TurnEngineFuzzTest
     * rtc4j-turn/src/test/resources/io/rtc4j/turn/TurnEngineFuzzTestInputs/engine}.
     */
    public static void main(String[] args) throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
        java.nio.file.Files.createDirectories(dir);
        // a complete first-time Allocate from an unknown 5-tuple, signed with a nonce that is valid at the
        // harness's fixed start time (the nonce key and the clock are deterministic)
        EngineHarness h = EngineHarness.create();
        TurnTestClient stranger = TurnTestClient.alice(h, STRANGER);
        stranger.realm = EngineHarness.REALM;
        stranger.nonce = h.nonces.issue(STRANGER.client(), h.now());
        byte[] allocate = stranger.sign(stranger.builder(StunMethod.ALLOCATE).add(new RequestedTransport(17)));
        write(dir, "valid_allocate", op(0, allocate));
        write(dir, "signed_allocate_then_refresh_zero", concat(
                op(5 | 8, attrs(0, new RequestedTransport(17))),
                op(5, attrs(1, new Lifetime(0))),
                op(6 | (31 << 3), new byte[0])));
        write(dir, "channel_data", concat(
                op(1, new byte[] {0x40, 0x00, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o'}),
                op(2, new byte[] {0x40, 0x01, 0x00, 0x03, 'a', 'b', 'c', 0})));
        write(dir, "peer_data", concat(
                op(3, "to the client over a channel".getBytes()),
                op(4 | 0x10, "over tcp with headroom".getBytes()),
                op(4 | 8, "no permission".getBytes())));
        write(dir, "channel_bind_and_permission", concat(
                op(5, attrs(3, new ChannelNumber(0x4002), new XorPeerAddress(EngineHarness.sock("203.0.113.5", 7)))),
                op(5, attrs(2, new XorPeerAddress(EngineHarness.sock("127.0.0.1", 7)))),
                op(6 | (30 << 3), new byte[0])));
        byte[] send = StunCodec.encode(io.rtc4j.stun.StunMessage.builder(
                                new MessageType(StunMethod.SEND, StunClass.INDICATION), new TransactionId(1, 2))
                        .add(new XorPeerAddress(PEER))
                        .add(new io.rtc4j.stun.Data(io.rtc4j.stun.Bytes.of(new byte[] {1, 2, 3})))
                        .build(),
                io.rtc4j.stun.StunProtection.NONE);
        write(dir, "send_indication_then_close", concat(op(1, send), op(7, new byte[0]), op(7 | 8, new byte[0])));
        write(dir, "rfc3489_binding", op(0, ByteBuffer.allocate(20).putShort((short) 1).array()));
    }

    private static void write(java.nio.file.Path dir, String name, byte[] bytes) throws java.io.IOException {
        java.nio.file.Files.write(dir.resolve(name), bytes);
    }
}
