package io.rtc4j.turn.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorMappedAddress;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TURN stream framing (RFC 8656 §12.5): split and coalesced reads, padding, garbage, the memory bound. */
class StreamFramerTest {
    static final byte[] STUN = StunCodec.encode(StunMessage.builder(MessageType.BINDING_SUCCESS, TransactionId.of(new byte[12]))
            .add(new XorMappedAddress(new InetSocketAddress("192.0.2.1", 4000))).build(), StunProtection.FINGERPRINT);
    static final byte[] ODD = channelData(0x4001, 5); // 4 + 5 + 3 padding
    static final byte[] EVEN = channelData(0x4FFF, 8); // no padding
    static final byte[] EMPTY = channelData(0x4000, 0);
    static final List<byte[]> FRAMES = List.of(STUN, ODD, EVEN, EMPTY, STUN);

    static byte[] channelData(int channel, int length) {
        ByteBuffer b = TurnClientFraming.channelData(channel, ByteBuffer.wrap(pattern(length)), true);
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    static byte[] pattern(int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) (i * 7 + 1);
        }
        return a;
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Feeds the stream in the given chunk sizes (cycled) and returns every frame that came out. */
    static List<byte[]> feed(StreamFramer f, byte[] stream, int... chunks) {
        List<byte[]> out = new ArrayList<>();
        for (int pos = 0, i = 0; pos < stream.length; i++) {
            int n = Math.min(chunks[i % chunks.length], stream.length - pos);
            f.append(ByteBuffer.wrap(stream, pos, n));
            pos += n;
            for (ByteBuffer frame; (frame = f.next()) != null; ) {
                byte[] a = new byte[frame.remaining()];
                frame.get(a);
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void paddingIsPartOfTheFrame() {
        assertThat(ODD).hasSize(12);
        assertThat(EVEN).hasSize(12);
        assertThat(EMPTY).hasSize(4);
    }

    @Test
    void everySplitPointGivesTheSameFrames() {
        byte[] stream = concat(FRAMES);
        for (int split = 1; split < stream.length; split++) {
            StreamFramer f = new StreamFramer();
            List<byte[]> out = new ArrayList<>(feed(f, Arrays.copyOf(stream, split), stream.length));
            out.addAll(feed(f, Arrays.copyOfRange(stream, split, stream.length), stream.length));
            assertThat(out).as("split at %d", split).containsExactlyElementsOf(FRAMES);
            assertThat(f.pending()).isZero();
            assertThat(f.broken()).isFalse();
        }
    }

    @Test
    void singleBytesAndOddChunksAndOneCoalescedRead() {
        byte[] stream = concat(FRAMES);
        for (int[] chunks : new int[][] {{1}, {3}, {7, 1, 13}, {stream.length}}) {
            assertThat(feed(new StreamFramer(), stream, chunks)).containsExactlyElementsOf(FRAMES);
        }
    }

    @Test
    void garbageBreaksTheStreamForGood() {
        byte[][] garbage = {
            {(byte) 0x80, 0, 0, 0}, // RTP-like
            {0x50, 0, 0, 4, 1, 2, 3, 4}, // a reserved channel number
            Arrays.copyOf(STUN, 8), // below, with a wrong magic cookie
            {0, 1, 0, 5}, // a STUN length that is no multiple of 4
        };
        garbage[2][4] = 0x13;
        for (byte[] g : garbage) {
            StreamFramer f = new StreamFramer();
            List<byte[]> out = feed(f, concat(List.of(ODD, g, STUN)), 1000);
            assertThat(out).as("the frame before the garbage").containsExactly(ODD);
            assertThat(f.broken()).isTrue();
            assertThat(feed(f, STUN, 1000)).as("nothing after").isEmpty();
            assertThat(f.pending()).isZero();
        }
    }

    @Test
    void badCookieIsSeenAsSoonAsItsBytesArrive() {
        byte[] bad = STUN.clone();
        bad[5] = 0;
        StreamFramer f = new StreamFramer();
        feed(f, Arrays.copyOf(bad, 7), 7);
        assertThat(f.broken()).isFalse(); // not yet decidable
        feed(f, new byte[] {bad[7]}, 1);
        assertThat(f.broken()).isTrue();
    }

    @Test
    void memoryStaysBoundedByOneFrameAndOneRead() {
        byte[] biggest = channelData(0x4002, 0xFFFF);
        assertThat(biggest).hasSize(StreamFramer.MAX_FRAME);
        StreamFramer f = new StreamFramer();
        List<byte[]> out = feed(f, concat(List.of(biggest, biggest, STUN)), 1500);
        assertThat(out).hasSize(3);
        assertThat(f.capacity()).isLessThanOrEqualTo(StreamFramer.MAX_FRAME + 1500);
        // a huge read of many frames grows the buffer once; small reads afterwards shrink it back
        List<byte[]> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add(biggest);
        }
        assertThat(feed(f, concat(many), Integer.MAX_VALUE)).hasSize(20);
        assertThat(feed(f, concat(List.of(ODD, EVEN)), 24)).hasSize(2);
        assertThat(f.capacity()).isLessThanOrEqualTo(StreamFramer.MAX_FRAME + 1500);
    }
}
