package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.sctp.SctpChunk.*;
import io.rtc4j.sctp.SctpParameter.*;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SctpCodecTest {
    /**
     * An INIT as a WebRTC stack sends it (published as a test vector in pion/sctp's packet_test.go): ports 5000,
     * CRC32c 0x81469dfc in the packet's byte order, FORWARD-TSN supported, supported extensions, AUTH parameters.
     */
    static final byte[] BROWSER_INIT = HexFormat.of().parseHex(
            "138813880000000081469dfc0100005655b964a500020000040008 00e86d1030c00000048008 0009c00fc18082000000"
                    .replace(" ", "")
                    + "80020024 9febbb5c50c9bf759cb12c574fa45a51ba601778 27945c31e65d5b0947e22206 80040006 00010000"
                            .replace(" ", "")
                    + "800300068 0c10000".replace(" ", ""));

    @Test
    void crc32cMatchesTheStandardCheckValueAndAKnownPacket() {
        CRC32C c = new CRC32C();
        c.update("123456789".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat((int) c.getValue()).isEqualTo(0xE3069283);
        byte[] headerOnly = HexFormat.of().parseHex("13881388000000000 6a900e1".replace(" ", ""));
        assertThat(Integer.reverseBytes(SctpCodec.crc32c(headerOnly, 0, headerOnly.length))).isEqualTo(0x06a900e1);
    }

    @Test
    void decodesABrowserInit() throws SctpParseException {
        SctpPacket p = SctpCodec.decode(BROWSER_INIT, 0, BROWSER_INIT.length, false);
        assertThat(p.sourcePort()).isEqualTo(5000);
        assertThat(p.verificationTag()).isZero();
        Init init = (Init) p.chunks().get(0);
        assertThat(init.body().initiateTag()).isEqualTo(0x55b964a5);
        assertThat(init.body().aRwnd()).isEqualTo(0x20000);
        assertThat(init.body().outboundStreams()).isEqualTo(1024);
        assertThat(init.body().inboundStreams()).isEqualTo(2048);
        assertThat(init.body().get(ForwardTsnSupported.class)).isNotNull();
        assertThat(init.body().get(SupportedExtensions.class).supports(SctpChunk.RE_CONFIG)).isTrue();
        assertThat(init.body().get(SupportedExtensions.class).supports(SctpChunk.FORWARD_TSN)).isTrue();
        assertThat(init.body().parameters()).filteredOn(x -> x instanceof SctpParameter.Unknown).hasSize(3);
        // Re-encoding gives the same bytes (checksum included).
        assertThat(SctpCodec.encode(p, false)).isEqualTo(BROWSER_INIT);
    }

    @Test
    void everyChunkRoundTrips() throws SctpParseException {
        List<SctpChunk> chunks = List.of(
                new Data(true, true, false, true, 0xFFFFFFF0, 7, 65535, 51, new byte[] {1, 2, 3}),
                new Init(new InitBody(5, 1 << 20, 10, 20, 99, List.of(new ForwardTsnSupported(),
                        new SupportedExtensions(new byte[] {(byte) 0xC0, (byte) 0x82}),
                        new ZeroChecksumAcceptable(1)))),
                new InitAck(new InitBody(6, 1, 1, 1, 0, List.of(new StateCookie(new byte[] {9, 9, 9})))),
                new Sack(77, 4096, List.of(new GapBlock(2, 3), new GapBlock(5, 9)), List.of(70, 71)),
                new Heartbeat(new byte[] {1, 2, 3, 4, 5}),
                new HeartbeatAck(new byte[] {1}),
                new Abort(true, List.of(SctpErrorCause.of(12, "bye"))),
                new Shutdown(12345),
                new ShutdownAck(),
                new ShutdownComplete(true),
                new OperationError(List.of(new SctpErrorCause(6, new byte[] {1, 2, 3, 4, 5}))),
                new CookieEcho(new byte[] {4, 3, 2}),
                new CookieAck(),
                new ForwardTsn(500, List.of(new SkippedStream(1, 2), new SkippedStream(3, 4))),
                new ReConfig(List.of(new OutgoingSsnResetRequest(1, 2, 3, List.of(4, 5, 6)),
                        ReconfigResponse.of(7, ReconfigResponse.SUCCESS_PERFORMED))),
                new ReConfig(List.of(new IncomingSsnResetRequest(8, List.of()), new SsnTsnResetRequest(9))),
                new ReConfig(List.of(new AddStreams(true, 10, 5), new ReconfigResponse(1, 1, true, 2, 3))),
                new SctpChunk.Unknown(0xC5, 3, new byte[] {1, 2}));
        for (SctpChunk c : chunks) {
            byte[] once = SctpCodec.encode(new SctpPacket(5000, 5001, 42, List.of(c)), false);
            SctpPacket back = SctpCodec.decode(once, 0, once.length, false);
            assertThat(back.chunks()).hasSize(1);
            assertThat(back.chunks().get(0).getClass()).isEqualTo(c.getClass());
            assertThat(SctpCodec.encode(back, false)).as("%s", c).isEqualTo(once);
        }
        SctpPacket all = new SctpPacket(1, 2, 3, chunks);
        byte[] b = SctpCodec.encode(all, true);
        assertThat(SctpCodec.encode(SctpCodec.decode(b, 0, b.length, true), true)).isEqualTo(b);
    }

    @Test
    void badChecksumsAreRejectedAndZeroOnlyWhenNegotiated() {
        byte[] b = SctpCodec.encode(new SctpPacket(1, 2, 3, List.of(new CookieAck())), false);
        byte[] corrupt = b.clone();
        corrupt[13] ^= 1;
        assertThatThrownBy(() -> SctpCodec.decode(corrupt, 0, corrupt.length, false))
                .isInstanceOf(SctpParseException.class).hasMessageContaining("checksum");
        byte[] zero = SctpCodec.encode(new SctpPacket(1, 2, 3, List.of(new CookieAck())), true);
        assertThatThrownBy(() -> SctpCodec.decode(zero, 0, zero.length, false)).isInstanceOf(SctpParseException.class);
        assertThat(catchDecode(zero, true)).isNull();
    }

    @Test
    void malformedInputIsAParseErrorNeverAnotherException() {
        byte[] good = SctpCodec.encode(new SctpPacket(1, 2, 3, List.of(
                new Sack(1, 2, List.of(new GapBlock(1, 2)), List.of()))), true);
        for (int len = 0; len < good.length; len++) {
            assertThat(catchDecode(java.util.Arrays.copyOf(good, len), true)).as("truncated to %d", len).isNotNull();
        }
        byte[] longer = good.clone();
        longer[15] = (byte) 0xFF; // chunk length beyond the packet
        assertThat(catchDecode(longer, true)).isNotNull();
        byte[] init = BROWSER_INIT.clone();
        java.nio.ByteBuffer.wrap(init).putInt(8, 0);
        java.nio.ByteBuffer.wrap(init).putInt(16, 0); // initiate tag 0 is invalid (RFC 9260 §3.3.2)
        assertThat(catchDecode(init, true)).contains("zero tag");
    }

    static String catchDecode(byte[] b, boolean zero) {
        try {
            SctpCodec.decode(b, 0, b.length, zero);
            return null;
        } catch (SctpParseException e) {
            return e.getMessage();
        }
    }
}
