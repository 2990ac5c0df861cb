package io.rtc4j.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacketDemuxTest {
    /** Every boundary of the RFC 7983 / RFC 9443 table, from both sides. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "0, STUN", "3, STUN", "4, UNKNOWN", "15, UNKNOWN", "16, ZRTP", "19, ZRTP", "20, DTLS", "63, DTLS",
        "64, TURN_CHANNEL", "79, TURN_CHANNEL", "80, QUIC", "127, QUIC", "128, RTP_RTCP", "191, RTP_RTCP",
        "192, QUIC", "255, QUIC"
    })
    void boundaries(int firstByte, PacketKind expected) {
        assertThat(PacketDemux.classify(firstByte)).isEqualTo(expected);
        assertThat(PacketDemux.classify(ByteBuffer.wrap(new byte[] {(byte) firstByte, 1, 2}))).isEqualTo(expected);
        assertThat(PacketDemux.classify(new byte[] {9, (byte) firstByte}, 1, 1)).isEqualTo(expected);
    }

    @Test
    void everyByteMatchesTheTable() {
        int[] counts = new int[PacketKind.values().length];
        for (int b = 0; b < 256; b++) {
            counts[PacketDemux.classify(b).ordinal()]++;
        }
        assertThat(counts[PacketKind.STUN.ordinal()]).isEqualTo(4);
        assertThat(counts[PacketKind.ZRTP.ordinal()]).isEqualTo(4);
        assertThat(counts[PacketKind.DTLS.ordinal()]).isEqualTo(44);
        assertThat(counts[PacketKind.TURN_CHANNEL.ordinal()]).isEqualTo(16);
        assertThat(counts[PacketKind.RTP_RTCP.ordinal()]).isEqualTo(64);
        assertThat(counts[PacketKind.QUIC.ordinal()]).isEqualTo(48 + 64);
        assertThat(counts[PacketKind.UNKNOWN.ordinal()]).isEqualTo(12);
    }

    @Test
    void emptyIsUnknownAndPositionIsRespectedAndKept() {
        assertThat(PacketDemux.classify(ByteBuffer.allocate(0))).isEqualTo(PacketKind.UNKNOWN);
        assertThat(PacketDemux.classify(new byte[] {0}, 0, 0)).isEqualTo(PacketKind.UNKNOWN);
        ByteBuffer b = ByteBuffer.wrap(new byte[] {0, (byte) 0x80});
        b.position(1);
        assertThat(PacketDemux.classify(b)).isEqualTo(PacketKind.RTP_RTCP);
        assertThat(b.position()).isEqualTo(1);
        assertThat(PacketDemux.classify(-128)).isEqualTo(PacketKind.RTP_RTCP); // a signed Java byte 0x80
    }

    @Test
    void realMessagesClassify() {
        byte[] stun = StunCodec.encode(
                StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(new java.util.SplittableRandom(1))).build(),
                StunProtection.FINGERPRINT);
        assertThat(PacketDemux.classify(ByteBuffer.wrap(stun))).isEqualTo(PacketKind.STUN);
        byte[] dtlsHandshake = {22, (byte) 0xFE, (byte) 0xFD, 0, 0}; // content type 22, DTLS 1.2
        assertThat(PacketDemux.classify(ByteBuffer.wrap(dtlsHandshake))).isEqualTo(PacketKind.DTLS);
        byte[] channelData = {0x40, 0x00, 0x00, 0x01, 7, 0, 0, 0}; // channel 0x4000
        assertThat(PacketDemux.classify(ByteBuffer.wrap(channelData))).isEqualTo(PacketKind.TURN_CHANNEL);
    }
}
