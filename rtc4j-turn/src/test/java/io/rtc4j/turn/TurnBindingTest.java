package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.MappedAddress;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.UnknownAttribute;
import io.rtc4j.stun.UnknownAttributes;
import io.rtc4j.stun.XorMappedAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Binding requests (RFC 8489 §6.3, RFC 3489 compatibility): no credentials, no allocation, no state. */
class TurnBindingTest {

    private final EngineHarness h = EngineHarness.create();

    private StunMessage bind(FiveTuple from, StunProtection p, UnknownAttribute... extra) {
        TurnTestClient c = TurnTestClient.alice(h, from);
        StunMessage.Builder b = c.builder(StunMethod.BINDING);
        Arrays.stream(extra).forEach(b::add);
        return c.exchange(c.encode(b.build(), p)).response();
    }

    @Test
    void ipv4ClientGetsItsAddressInXorMappedAddress() {
        FiveTuple from = udp("192.0.2.77", 40001);
        StunMessage r = bind(from, StunProtection.NONE);
        assertThat(r.type()).isEqualTo(MessageType.BINDING_SUCCESS);
        assertThat(r.getOrNull(XorMappedAddress.class).address()).isEqualTo(from.client());
        assertThat(r.getOrNull(MappedAddress.class).address()).isEqualTo(from.client());
        assertThat(h.engine.allocationCount()).isZero();
        h.assertEmpty();
    }

    @Test
    void ipv6ClientGetsItsAddressInXorMappedAddress() {
        FiveTuple from = udp("2001:db8:1::77", 50002);
        StunMessage r = bind(from, StunProtection.NONE);
        assertThat(r.type()).isEqualTo(MessageType.BINDING_SUCCESS);
        assertThat(r.getOrNull(XorMappedAddress.class).address()).isEqualTo(from.client());
        h.assertEmpty();
    }

    @Test
    void fingerprintIsEchoedWhenTheRequestHasOne() {
        StunMessage r = bind(udp("192.0.2.77", 40001), StunProtection.FINGERPRINT);
        assertThat(r.has(io.rtc4j.stun.Fingerprint.class)).isTrue(); // the decoder checked its CRC
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420WithUnknownAttributes() {
        StunMessage r = bind(udp("192.0.2.77", 40001), StunProtection.NONE,
                new UnknownAttribute(0x0033, Bytes.of(new byte[4])),
                new UnknownAttribute(0x8033, Bytes.of(new byte[4])), // comprehension-optional: ignored
                new UnknownAttribute(0x7FFE, Bytes.EMPTY));
        assertThat(r.type()).isEqualTo(MessageType.BINDING_ERROR);
        assertThat(TurnTestClient.code(r)).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
        assertThat(r.getOrNull(UnknownAttributes.class).types()).containsExactly(0x0033, 0x7FFE);
    }

    @Test
    void unknownComprehensionOptionalAttributeIsIgnored() {
        StunMessage r = bind(udp("192.0.2.77", 40001), StunProtection.NONE, new UnknownAttribute(0xC001, Bytes.of(new byte[3])));
        assertThat(r.type()).isEqualTo(MessageType.BINDING_SUCCESS);
    }

    @Test
    void bindingIndicationIsDroppedSilently() {
        TurnTestClient c = TurnTestClient.alice(h, udp("192.0.2.77", 40001));
        StunMessage ind = StunMessage.builder(new MessageType(StunMethod.BINDING, StunClass.INDICATION), c.builder(StunMethod.BINDING).build().transactionId()).build();
        List<TurnOutput> out = h.fromClient(c.tuple, c.encode(ind, StunProtection.NONE));
        assertThat(out).isEmpty();
        assertThat(h.metrics.drops(DropReason.UNEXPECTED_CLASS)).isEqualTo(1);
    }

    @Test
    void rfc3489BindingWithoutMagicCookieGetsMappedAddress() {
        FiveTuple from = udp("192.0.2.77", 40001);
        byte[] tid = new byte[16];
        for (int i = 0; i < 16; i++) {
            tid[i] = (byte) (0xA0 + i);
        }
        ByteBuffer req = ByteBuffer.allocate(20).putShort((short) 0x0001).putShort((short) 0).put(tid);
        List<TurnOutput> out = h.fromClient(from, req.array());
        assertThat(out).hasSize(1);
        ByteBuffer r = ((TurnOutput.ToClient) out.get(0)).data();
        assertThat(r.getShort(0) & 0xFFFF).isEqualTo(0x0101);
        assertThat(r.getShort(2) & 0xFFFF).isEqualTo(r.remaining() - 20);
        byte[] echoed = new byte[16];
        r.get(4, echoed);
        assertThat(echoed).isEqualTo(tid);
        // first attribute: MAPPED-ADDRESS 0x0001, length 8, family 1, port, address, not XOR-ed
        assertThat(r.getShort(20)).isEqualTo((short) 0x0001);
        assertThat(r.getShort(22)).isEqualTo((short) 8);
        assertThat(r.get(25)).isEqualTo((byte) 1);
        assertThat(r.getShort(26) & 0xFFFF).isEqualTo(40001);
        byte[] ip = new byte[4];
        r.get(28, ip);
        assertThat(ip).isEqualTo(from.client().getAddress().getAddress());
        assertThat(h.metrics.requests()).isEqualTo(1);
        h.assertEmpty();
    }

    @Test
    void rfc3489ChangeRequestThatCannotBeHonouredGets420() {
        ByteBuffer req = ByteBuffer.allocate(28)
                .putShort((short) 0x0001).putShort((short) 8).put(new byte[16])
                .putShort((short) 0x0003).putShort((short) 4).putInt(0x06); // CHANGE-REQUEST: change IP and port
        List<TurnOutput> out = h.fromClient(udp("192.0.2.77", 40001), req.array());
        ByteBuffer r = ((TurnOutput.ToClient) out.get(0)).data();
        assertThat(r.getShort(0) & 0xFFFF).isEqualTo(0x0111);
        assertThat(r.getShort(20)).isEqualTo((short) 0x0009); // ERROR-CODE
        assertThat(r.get(26)).isEqualTo((byte) 4);
        assertThat(r.get(27)).isEqualTo((byte) 20);
    }

    @Test
    void rfc3489LookalikesAreDropped() {
        FiveTuple from = udp("192.0.2.77", 40001);
        byte[] badLength = ByteBuffer.allocate(24).putShort((short) 1).putShort((short) 8).array(); // claims 8, has 4
        byte[] notBinding = ByteBuffer.allocate(20).putShort((short) 0x0101).array();
        byte[] overrun = ByteBuffer.allocate(28).putShort((short) 1).putShort((short) 8).put(new byte[16])
                .putShort((short) 0x0003).putShort((short) 40).array();
        for (byte[] b : List.of(badLength, notBinding, overrun, new byte[3], new byte[0])) {
            assertThat(h.fromClient(from, b)).isEmpty();
        }
        assertThat(h.metrics.drops(DropReason.NOT_STUN_OR_CHANNEL_DATA)).isEqualTo(5);
    }
}
