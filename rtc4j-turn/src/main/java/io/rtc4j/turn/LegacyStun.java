package io.rtc4j.turn;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Queue;

/**
 * Binding requests from RFC 3489 clients, which have no magic cookie (RFC 8489 §12: servers answer them
 * with MAPPED-ADDRESS and echo the 128-bit transaction id). This server has one address, so a CHANGE-REQUEST
 * asking for another IP or port cannot be honoured and gets 420 instead of a misleading answer.
 */
final class LegacyStun {
    private static final int BINDING_REQUEST = 0x0001;
    private static final int BINDING_RESPONSE = 0x0101;
    private static final int BINDING_ERROR = 0x0111;
    private static final int MAPPED_ADDRESS = 0x0001;
    private static final int SOURCE_ADDRESS = 0x0004;
    private static final int CHANGE_REQUEST = 0x0003;
    private static final int ERROR_CODE = 0x0009;
    private static final int UNKNOWN_ATTRIBUTES = 0x000A;

    private LegacyStun() {}

    /** Queues an answer and returns true if {@code in} is a well-formed RFC 3489 Binding request. */
    static boolean answerBinding(ByteBuffer in, FiveTuple from, TurnServerContext ctx, Queue<TurnOutput> out) {
        int p = in.position();
        if (in.remaining() < 20 || (in.getShort(p) & 0xFFFF) != BINDING_REQUEST) {
            return false;
        }
        int length = in.getShort(p + 2) & 0xFFFF;
        if ((length & 3) != 0 || length != in.remaining() - 20) {
            return false;
        }
        boolean changeAsked = false;
        for (int q = p + 20; q < p + 20 + length; ) {
            if (q + 4 > in.limit()) {
                return false;
            }
            int type = in.getShort(q) & 0xFFFF;
            int len = in.getShort(q + 2) & 0xFFFF;
            if (q + 4 + len > in.limit()) {
                return false;
            }
            if (type == CHANGE_REQUEST && len == 4 && (in.getInt(q + 4) & 0x6) != 0) {
                changeAsked = true;
            }
            q += 4 + ((len + 3) & ~3);
        }
        ByteBuffer r = ByteBuffer.allocate(20 + 64);
        r.putShort((short) (changeAsked ? BINDING_ERROR : BINDING_RESPONSE)).putShort((short) 0);
        r.put(in.duplicate().position(p + 4).limit(p + 20)); // the 16-byte RFC 3489 transaction id
        if (changeAsked) {
            byte[] reason = "Unknown Attribute".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            r.putShort((short) ERROR_CODE).putShort((short) (4 + reason.length)).putShort((short) 0).put((byte) 4).put((byte) 20).put(reason);
            r.put(new byte[(4 - (reason.length & 3)) & 3]);
            r.putShort((short) UNKNOWN_ATTRIBUTES).putShort((short) 2).putShort((short) CHANGE_REQUEST).putShort((short) CHANGE_REQUEST);
        } else {
            putAddress(r, MAPPED_ADDRESS, from.client());
            putAddress(r, SOURCE_ADDRESS, from.server());
        }
        r.putShort(2, (short) (r.position() - 20));
        ctx.metrics().request();
        out.add(new TurnOutput.ToClient(from, r.flip()));
        return true;
    }

    private static void putAddress(ByteBuffer r, int type, InetSocketAddress a) {
        boolean v4 = a.getAddress() instanceof Inet4Address;
        byte[] addr = a.getAddress().getAddress();
        r.putShort((short) type).putShort((short) (4 + addr.length)).put((byte) 0).put((byte) (v4 ? 1 : 2))
                .putShort((short) a.getPort()).put(addr);
    }
}
