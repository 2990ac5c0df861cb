package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Wire-level rules checked on packets two associations exchange directly: unknown chunks, checksums, tags. */
class SctpAssociationProtocolTest {
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    /** Moves packets both ways until both are quiet; returns what {@code a} sent. */
    private static List<byte[]> exchange(SctpAssociation a, SctpAssociation b, Instant now) {
        List<byte[]> fromA = new ArrayList<>();
        for (int round = 0; round < 1000; round++) {
            boolean moved = false;
            for (SctpOutput o = a.pollOutput(); !(o instanceof SctpOutput.Timeout); o = a.pollOutput()) {
                if (o instanceof SctpOutput.Transmit t) {
                    fromA.add(t.packet());
                    b.handleInput(now, t.packet());
                    moved = true;
                }
            }
            for (SctpOutput o = b.pollOutput(); !(o instanceof SctpOutput.Timeout); o = b.pollOutput()) {
                if (o instanceof SctpOutput.Transmit t) {
                    a.handleInput(now, t.packet());
                    moved = true;
                }
            }
            if (!moved) {
                return fromA;
            }
        }
        throw new AssertionError("never quiet");
    }

    private SctpAssociation[] established(SctpConfig ca, SctpConfig cb) {
        SctpAssociation a = new SctpAssociation(ca, new SplittableRandom(1));
        SctpAssociation b = new SctpAssociation(cb, new SplittableRandom(2));
        a.connect(now);
        exchange(a, b, now);
        assertThat(a.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
        assertThat(b.state()).isEqualTo(SctpAssociation.State.ESTABLISHED);
        return new SctpAssociation[] {a, b};
    }

    private static List<SctpPacket> drainPackets(SctpAssociation a) throws SctpParseException {
        List<SctpPacket> out = new ArrayList<>();
        for (SctpOutput o = a.pollOutput(); !(o instanceof SctpOutput.Timeout); o = a.pollOutput()) {
            if (o instanceof SctpOutput.Transmit t) {
                out.add(SctpCodec.decode(t.packet(), 0, t.packet().length, true));
            }
        }
        return out;
    }

    @Test
    void unknownChunksFollowTheirUpperBits() throws SctpParseException {
        SctpAssociation[] p = established(SctpConfig.defaults(), SctpConfig.defaults());
        SctpAssociation a = p[0];
        int tagOfA = p[1].peerTag;
        drainPackets(a);
        // 01xxxxxx: report in an ERROR and discard the rest of the packet (the HEARTBEAT is not answered)
        a.handleInput(now, SctpCodec.encode(new SctpPacket(5000, 5000, tagOfA, List.of(
                new SctpChunk.Unknown(0x7F, 0, new byte[] {1, 2, 3}), new SctpChunk.Heartbeat(new byte[] {9}))),
                false));
        List<SctpPacket> out = drainPackets(a);
        assertThat(out).flatExtracting(SctpPacket::chunks).hasSize(1).first()
                .isInstanceOfSatisfying(SctpChunk.OperationError.class,
                        e -> assertThat(e.causes().get(0).code()).isEqualTo(SctpErrorCause.UNRECOGNIZED_CHUNK_TYPE));
        // 10xxxxxx: skip silently and process the rest
        a.handleInput(now, SctpCodec.encode(new SctpPacket(5000, 5000, tagOfA, List.of(
                new SctpChunk.Unknown(0xBF, 0, new byte[] {1}), new SctpChunk.Heartbeat(new byte[] {9}))), false));
        assertThat(drainPackets(a)).flatExtracting(SctpPacket::chunks).singleElement()
                .isInstanceOf(SctpChunk.HeartbeatAck.class);
        // a wrong verification tag is a counted drop
        long before = a.droppedCount();
        a.handleInput(now, SctpCodec.encode(new SctpPacket(5000, 5000, tagOfA + 1, List.of(
                new SctpChunk.Heartbeat(new byte[] {9}))), false));
        assertThat(a.droppedCount()).isEqualTo(before + 1);
        assertThat(drainPackets(a)).isEmpty();
    }

    @Test
    void zeroChecksumOnlyWhenBothAnnounceIt() {
        SctpConfig zero = SctpConfig.builder().zeroChecksum(true).build();
        for (boolean peerToo : new boolean[] {true, false}) {
            SctpAssociation[] p = established(zero, peerToo ? zero : SctpConfig.defaults());
            p[0].send(now, 0, 53, new byte[100], SctpSendOptions.RELIABLE_ORDERED);
            List<byte[]> sent = exchange(p[0], p[1], now);
            assertThat(sent).isNotEmpty();
            int checksum = ByteBuffer.wrap(sent.get(0)).getInt(8);
            if (peerToo) {
                assertThat(checksum).isZero();
            } else {
                assertThat(checksum).isNotZero();
            }
            assertThat(p[1].droppedCount()).isZero();
            // and a zero-checksum packet reaches the endpoint that announced it only if the peer did too
            byte[] zeroed = SctpCodec.encode(new SctpPacket(5000, 5000, p[1].peerTag, List.of(
                    new SctpChunk.Heartbeat(new byte[] {1}))), true);
            long before = p[0].droppedCount();
            p[0].handleInput(now, zeroed);
            assertThat(p[0].droppedCount()).isEqualTo(peerToo ? before : before + 1);
        }
    }

    @Test
    void aForgedCookieIsDropped() {
        SctpAssociation a = new SctpAssociation(SctpConfig.defaults(), new SplittableRandom(3));
        byte[] forged = new byte[SctpCookie.BODY + SctpCookie.MAC_LENGTH];
        a.handleInput(now, SctpCodec.encode(new SctpPacket(5000, 5000, 0x1234, List.of(
                new SctpChunk.CookieEcho(forged))), false));
        assertThat(a.droppedCount()).isEqualTo(1);
        assertThat(a.state()).isEqualTo(SctpAssociation.State.CLOSED);
    }
}
