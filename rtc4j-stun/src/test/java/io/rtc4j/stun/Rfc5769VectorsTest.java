package io.rtc4j.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 5769 test vectors: decoded, verified and re-encoded byte for byte. */
class Rfc5769VectorsTest {
    private static final byte SPACE = 0x20; // RFC 5769 §2.1-2.3 pad text attributes with spaces

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s", ""));
    }

    // RFC 5769 §2.1
    static final byte[] REQUEST = hex("""
            00 01 00 58 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 10 53 54 55 4e 20 74 65 73 74 20 63 6c 69 65 6e 74
            00 24 00 04 6e 00 01 ff
            80 29 00 08 93 2f f9 b1 51 26 3b 36
            00 06 00 09 65 76 74 6a 3a 68 36 76 59 20 20 20
            00 08 00 14 9a ea a7 0c bf d8 cb 56 78 1e f2 b5 b2 d3 f2 49 c1 b5 71 a2
            80 28 00 04 e5 7a 3b cf""");
    static final byte[] SHORT_TERM_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt".getBytes(StandardCharsets.UTF_8);

    // RFC 5769 §2.2
    static final byte[] IPV4_RESPONSE = hex("""
            01 01 00 3c 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 08 00 01 a1 47 e1 12 a6 43
            00 08 00 14 2b 91 f5 99 fd 9e 90 c3 8c 74 89 f9 2a f9 ba 53 f0 6b e7 d7
            80 28 00 04 c0 7d 4c 96""");

    // RFC 5769 §2.3
    static final byte[] IPV6_RESPONSE = hex("""
            01 01 00 48 21 12 a4 42 b7 e7 a7 01 bc 34 d6 86 fa 87 df ae
            80 22 00 0b 74 65 73 74 20 76 65 63 74 6f 72 20
            00 20 00 14 00 02 a1 47 01 13 a9 fa a5 d3 f1 79 bc 25 f4 b5 be d2 b9 d9
            00 08 00 14 a3 82 95 4e 4b e6 7b f1 17 84 c9 7c 82 92 c2 75 bf e3 ed 41
            80 28 00 04 c8 fb 0b 4c""");

    // RFC 5769 §2.4
    static final byte[] LONG_TERM_REQUEST = hex("""
            00 01 00 60 21 12 a4 42 78 ad 34 33 c6 ad 72 c0 29 da 41 2e
            00 06 00 12 e3 83 9e e3 83 88 e3 83 aa e3 83 83 e3 82 af e3 82 b9 00 00
            00 15 00 1c 66 2f 2f 34 39 39 6b 39 35 34 64 36 4f 4c 33 34 6f 4c 39 46 53 54 76 79 36 34 73 41
            00 14 00 0b 65 78 61 6d 70 6c 65 2e 6f 72 67 00
            00 08 00 14 f6 70 24 65 6d d6 4a 3e 02 b8 e0 71 2e 85 c9 a2 8c a8 96 66""");

    @Test
    void sampleRequest() throws Exception {
        StunMessage m = StunCodec.decode(ByteBuffer.wrap(REQUEST));
        assertThat(m.type()).isEqualTo(MessageType.BINDING_REQUEST);
        assertThat(m.get(Software.class)).contains(new Software("STUN test client"));
        assertThat(m.get(Priority.class)).contains(new Priority(0x6e0001ffL));
        assertThat(m.get(IceControlled.class)).contains(new IceControlled(0x932ff9b151263b36L));
        assertThat(m.get(Username.class)).contains(new Username("evtj:h6vY"));
        assertThat(m.verifyIntegrity(SHORT_TERM_PASSWORD)).isTrue();
        assertThat(m.verifyIntegrity("wrong".getBytes(StandardCharsets.UTF_8))).isFalse();
        byte[] again = StunCodec.encode(m, StunProtection.integrity(SHORT_TERM_PASSWORD).withFingerprint(), SPACE);
        assertThat(again).isEqualTo(REQUEST);
    }

    @Test
    void ipv4Response() throws Exception {
        StunMessage m = StunCodec.decode(ByteBuffer.wrap(IPV4_RESPONSE));
        assertThat(m.type()).isEqualTo(MessageType.BINDING_SUCCESS);
        assertThat(m.get(XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853));
        assertThat(m.verifyIntegrity(SHORT_TERM_PASSWORD)).isTrue();
        assertThat(StunCodec.encode(m, StunProtection.integrity(SHORT_TERM_PASSWORD).withFingerprint(), SPACE))
                .isEqualTo(IPV4_RESPONSE);
    }

    @Test
    void ipv6Response() throws Exception {
        StunMessage m = StunCodec.decode(ByteBuffer.wrap(IPV6_RESPONSE));
        assertThat(m.get(XorMappedAddress.class).orElseThrow().address())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        assertThat(m.verifyIntegrity(SHORT_TERM_PASSWORD)).isTrue();
        assertThat(StunCodec.encode(m, StunProtection.integrity(SHORT_TERM_PASSWORD).withFingerprint(), SPACE))
                .isEqualTo(IPV6_RESPONSE);
    }

    @Test
    void longTermAuthentication() throws Exception {
        StunMessage m = StunCodec.decode(ByteBuffer.wrap(LONG_TERM_REQUEST));
        String user = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";
        assertThat(m.get(Username.class)).contains(new Username(user));
        assertThat(m.get(Nonce.class)).contains(new Nonce("f//499k954d6OL34oL9FSTvy64sA"));
        assertThat(m.get(Realm.class)).contains(new Realm("example.org"));
        // the password "The\u00ADM\u00AAtr\u2168" is "TheMatrIX" after SASLprep (RFC 5769 §2.4)
        byte[] key = StunIntegrity.longTermKey(user, "example.org", "TheMatrIX");
        assertThat(m.verifyIntegrity(key)).isTrue();
        assertThat(StunCodec.encode(m, StunProtection.integrity(key))).isEqualTo(LONG_TERM_REQUEST);
    }
}
