package io.rtc4j.ice.net;

import io.rtc4j.stun.IceControlling;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Priority;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Hostile traffic for the flood tests: (a) malformed datagrams (unclaimed first bytes, broken STUN, oversize,
 * RTP-looking junk), (b) well-formed Binding requests without credentials, (c) checks naming the victim's
 * ufrag with a wrong MESSAGE-INTEGRITY; sent round-robin from many source ports on 127.0.0.1.
 */
final class Flood {
    private Flood() {}

    static List<byte[]> packets(String victimUfrag, int variants, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        byte[] wrongKey = "not-the-password-at-all".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < variants; i++) {
            switch (i % 6) {
                case 0 -> { // unclaimed first byte (RFC 7983: 4..15)
                    byte[] b = new byte[20 + r.nextInt(200)];
                    r.nextBytes(b);
                    b[0] = (byte) (4 + r.nextInt(12));
                    out.add(b);
                }
                case 1 -> { // STUN-looking garbage
                    byte[] b = new byte[20 + 4 * r.nextInt(30)];
                    r.nextBytes(b);
                    b[0] = 0;
                    b[1] = 1;
                    ByteBuffer.wrap(b).putShort(2, (short) (b.length - 20)).putInt(4, StunCodec.MAGIC_COOKIE);
                    out.add(b);
                }
                case 2 -> { // oversize, or RTP-looking junk from a stranger
                    byte[] b = new byte[r.nextBoolean() ? 3000 : 200];
                    r.nextBytes(b);
                    b[0] = (byte) (0x80 | r.nextInt(64));
                    out.add(b);
                }
                case 3 -> out.add(StunCodec.encode( // (b) no credentials at all
                        StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(r)).build(),
                        StunProtection.FINGERPRINT));
                default -> out.add(StunCodec.encode( // (c) the victim's ufrag, a wrong key
                        StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(r))
                                .add(new Username(victimUfrag + ":evil" + i))
                                .add(new Priority(1 + r.nextInt(1 << 30)))
                                .add(new IceControlling(r.nextLong()))
                                .build(),
                        StunProtection.integrity(wrongKey).withFingerprint()));
            }
        }
        return out;
    }

    /** Sends {@code total} datagrams to {@code target} from {@code sources} distinct ports; returns sent count. */
    static long send(InetSocketAddress target, List<byte[]> packets, int total, int sources) throws IOException {
        List<DatagramChannel> channels = new ArrayList<>();
        long sent = 0;
        try {
            for (int i = 0; i < sources; i++) {
                DatagramChannel ch = DatagramChannel.open();
                channels.add(ch);
                ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                ch.configureBlocking(true);
            }
            for (int i = 0; i < total; i++) {
                if (channels.get(i % sources).send(ByteBuffer.wrap(packets.get(i % packets.size())), target) > 0) {
                    sent++;
                }
                if ((i & 127) == 127) {
                    // let the receiver drain now and then (2 shared cores); kernel losses are fine: only what
                    // reached the socket is counted
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                }
            }
        } finally {
            for (DatagramChannel ch : channels) {
                ch.close();
            }
        }
        return sent;
    }
}
