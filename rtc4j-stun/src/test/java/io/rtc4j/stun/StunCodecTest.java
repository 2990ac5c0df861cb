package io.rtc4j.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StunCodecTest {
    private static final TransactionId TID = TransactionId.random(new SplittableRandom(7));

    static InetSocketAddress addr(String ip, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), port);
    }

    @Test
    void everyAttributeRoundTrips() throws Exception {
        List<StunAttribute> all = List.of(
                new MappedAddress(addr("10.1.2.3", 1)),
                new XorMappedAddress(addr("::1", 65535)),
                new XorPeerAddress(addr("192.0.2.9", 4000)),
                new XorRelayedAddress(addr("2001:db8::7", 50000)),
                new AlternateServer(addr("198.51.100.1", 3478)),
                new ResponseOrigin(addr("203.0.113.1", 3478)),
                new OtherAddress(addr("203.0.113.2", 3479)),
                new Username("alice"),
                new Realm("rtc4j.io"),
                new Nonce("obMatJos2AAAB"),
                new Software("rtc4j"),
                new AlternateDomain("turn.example.org"),
                new UserHash(Bytes.of(new byte[32])),
                new Data(Bytes.of(new byte[] {1, 2, 3, 4, 5})),
                new Priority(0xFFFFFFFFL),
                new Lifetime(600),
                new ConnectionId(42),
                new IceControlled(-1L),
                new IceControlling(0x0102030405060708L),
                new ReservationToken(77L),
                new ChannelNumber(0x4001),
                new RequestedTransport(17),
                RequestedAddressFamily.of(AddressFamily.IPV6),
                AdditionalAddressFamily.of(AddressFamily.IPV6),
                new EvenPort(true),
                DontFragment.INSTANCE,
                UseCandidate.INSTANCE,
                new ErrorCode(438, "Stale Nonce"),
                new AddressErrorCode(AddressFamily.IPV6, 440, "no v6"),
                new UnknownAttributes(List.of(0x0031, 0x7777)),
                new PasswordAlgorithm(PasswordAlgorithm.SHA256),
                new PasswordAlgorithms(List.of(
                        new PasswordAlgorithm(PasswordAlgorithm.MD5),
                        new PasswordAlgorithm(7, Bytes.of(new byte[] {9, 9, 9})))),
                new Icmp(3, 1, 0),
                new UnknownAttribute(0xC001, Bytes.of(new byte[] {1})));
        StunMessage m = StunMessage.builder(MessageType.BINDING_REQUEST, TID).addAll(all).build();
        byte[] wire = StunCodec.encode(m, StunProtection.integrity(new byte[] {1, 2}).withFingerprint());
        StunMessage back = StunCodec.decode(ByteBuffer.wrap(wire));
        assertThat(back.attributes().subList(0, all.size())).containsExactlyElementsOf(all);
        assertThat(back.attributes().get(all.size())).isInstanceOf(MessageIntegrity.class);
        assertThat(back.attributes().get(all.size() + 1)).isInstanceOf(Fingerprint.class);
        assertThat(back.verifyIntegrity(new byte[] {1, 2})).isTrue();
        assertThat(back.verifyIntegrity(new byte[] {1, 3})).isFalse();
        assertThat(back.unknownComprehensionRequired()).isEmpty();
    }

    @Test
    void messageTypesInterleaveMethodAndClass() {
        for (int method = 0; method <= 0xFFF; method += 0x111) {
            for (StunClass c : StunClass.values()) {
                MessageType t = new MessageType(new StunMethod(method), c);
                assertThat(MessageType.decode(t.encode())).isEqualTo(t);
            }
        }
        assertThat(new MessageType(StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE).encode()).isEqualTo(0x0113);
        assertThat(new MessageType(StunMethod.DATA, StunClass.INDICATION).encode()).isEqualTo(0x0017);
    }

    @Test
    void sha256IntegrityAndEmptyKey() throws Exception {
        StunMessage m = StunMessage.builder(MessageType.BINDING_REQUEST, TID).add(new Username("u")).build();
        StunMessage back = StunCodec.decode(ByteBuffer.wrap(StunCodec.encode(m, StunProtection.integritySha256(new byte[] {5}))));
        assertThat(back.get(MessageIntegritySha256.class)).isPresent();
        assertThat(back.verifyIntegrity(new byte[] {5})).isTrue();
        assertThat(back.verifyIntegrity(new byte[] {6})).isFalse();
        StunMessage empty = StunCodec.decode(ByteBuffer.wrap(StunCodec.encode(m, StunProtection.integrity(new byte[0]))));
        assertThat(empty.verifyIntegrity(new byte[0])).isTrue();
    }

    @Test
    void unknownComprehensionRequiredAttributesAreReported() throws Exception {
        StunMessage m = StunMessage.builder(MessageType.BINDING_REQUEST, TID)
                .add(new UnknownAttribute(0x0031, Bytes.EMPTY))
                .add(new UnknownAttribute(0x8031, Bytes.EMPTY))
                .build();
        StunMessage back = StunCodec.decode(ByteBuffer.wrap(StunCodec.encode(m, StunProtection.NONE)));
        assertThat(back.unknownComprehensionRequired()).containsExactly(0x0031);
    }

    @Test
    void attributesAfterIntegrityAreIgnored() throws Exception {
        byte[] wire = StunCodec.encode(
                StunMessage.builder(MessageType.BINDING_REQUEST, TID).add(new Username("u")).build(),
                StunProtection.integrity(new byte[] {1}));
        // append SOFTWARE after MESSAGE-INTEGRITY and fix the length
        ByteBuffer b = ByteBuffer.allocate(wire.length + 8).put(wire);
        b.putShort((short) AttributeType.SOFTWARE).putShort((short) 4).putInt(0x41414141);
        b.putShort(2, (short) (b.capacity() - 20));
        StunMessage back = StunCodec.decode(b.flip());
        assertThat(back.has(Software.class)).isFalse();
        assertThat(back.verifyIntegrity(new byte[] {1})).isTrue();
    }

    @Test
    void malformedInputIsRejectedWithAReason() {
        byte[] good = StunCodec.encode(
                StunMessage.builder(MessageType.BINDING_REQUEST, TID).add(new Username("abc")).build(),
                StunProtection.FINGERPRINT);
        assertRejected(new byte[0]);
        assertRejected(new byte[19]);
        byte[] badCookie = good.clone();
        badCookie[4] = 0;
        assertRejected(badCookie);
        byte[] topBits = good.clone();
        topBits[0] = (byte) 0x80;
        assertRejected(topBits);
        byte[] shortLength = good.clone();
        shortLength[3] -= 4;
        assertRejected(shortLength);
        byte[] badFingerprint = good.clone();
        badFingerprint[good.length - 1] ^= 1;
        assertRejected(badFingerprint);
        byte[] overrun = good.clone();
        overrun[23] = 0x7F; // USERNAME length far past the end
        assertRejected(overrun);
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 4);
        truncated[3] -= 4;
        assertRejected(truncated);
        // an XOR-MAPPED-ADDRESS with family 3
        ByteBuffer b = ByteBuffer.allocate(32).putShort((short) 0x0101).putShort((short) 12).putInt(StunCodec.MAGIC_COOKIE);
        TID.write(b);
        b.putShort((short) AttributeType.XOR_MAPPED_ADDRESS).putShort((short) 8).putInt(0x00030000).putInt(0);
        assertRejected(b.array());
    }

    private static void assertRejected(byte[] wire) {
        assertThatThrownBy(() -> StunCodec.decode(ByteBuffer.wrap(wire))).isInstanceOf(StunParseException.class);
    }

    @Test
    void framingAndShapeChecks() {
        byte[] wire = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, TID).build(), StunProtection.NONE);
        assertThat(StunCodec.isStun(ByteBuffer.wrap(wire))).isTrue();
        assertThat(StunCodec.frameLength(ByteBuffer.wrap(wire))).isEqualTo(20);
        assertThat(StunCodec.frameLength(ByteBuffer.wrap(new byte[3]))).isEqualTo(-1);
        assertThat(StunCodec.isStun(ByteBuffer.wrap(new byte[] {0x40, 0, 0, 0}))).isFalse();
    }
}
