package io.rtc4j.ice.mdns;

import io.rtc4j.stun.Bytes;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateless DNS message codec (RFC 1035 §4) for multicast DNS. Decoding follows compression pointers with a
 * bound (no loops), caps names at 255 bytes and counts at what the datagram can hold; any violation is a
 * {@link DnsParseException}. Encoding writes names uncompressed.
 */
public final class DnsCodec {
    /** RFC 6762 §17: an mDNS message fits 9000 bytes; larger datagrams are not ours. */
    public static final int MAX_MESSAGE = 9000;
    private static final int MAX_NAME = 255;
    private static final int MAX_POINTERS = 16;

    private DnsCodec() {}

    public static DnsMessage decode(ByteBuffer in) throws DnsParseException {
        ByteBuffer b = in.slice();
        if (b.remaining() < 12 || b.remaining() > MAX_MESSAGE) {
            throw new DnsParseException("bad message size " + b.remaining());
        }
        try {
            int id = b.getShort() & 0xFFFF;
            int flags = b.getShort() & 0xFFFF;
            int qd = b.getShort() & 0xFFFF;
            int an = b.getShort() & 0xFFFF;
            int ns = b.getShort() & 0xFFFF;
            int ar = b.getShort() & 0xFFFF;
            // every question takes at least 5 bytes and every record 11: reject impossible counts up front
            if (qd * 5L + (an + ns + ar) * 11L > b.remaining()) {
                throw new DnsParseException("counts exceed the message");
            }
            List<DnsQuestion> questions = new ArrayList<>(qd);
            for (int i = 0; i < qd; i++) {
                String name = name(b);
                questions.add(new DnsQuestion(name, b.getShort() & 0xFFFF, b.getShort() & 0xFFFF));
            }
            List<DnsRecord> answers = records(b, an);
            records(b, ns); // authority: parsed for framing, not kept
            List<DnsRecord> additionals = records(b, ar);
            return new DnsMessage(id, flags, questions, answers, additionals);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new DnsParseException("truncated or malformed: " + e.getClass().getSimpleName());
        }
    }

    private static List<DnsRecord> records(ByteBuffer b, int count) throws DnsParseException {
        List<DnsRecord> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = name(b);
            int type = b.getShort() & 0xFFFF;
            int rclass = b.getShort() & 0xFFFF;
            long ttl = Integer.toUnsignedLong(b.getInt());
            int length = b.getShort() & 0xFFFF;
            if (length > b.remaining()) {
                throw new DnsParseException("record data overruns the message");
            }
            ByteBuffer data = b.slice(b.position(), length);
            b.position(b.position() + length);
            out.add(new DnsRecord(name, type, rclass, ttl, Bytes.of(data)));
        }
        return out;
    }

    /** Reads a possibly compressed name at the buffer's position (RFC 1035 §4.1.4). */
    private static String name(ByteBuffer b) throws DnsParseException {
        StringBuilder s = new StringBuilder();
        int p = b.position();
        int end = -1; // where the buffer continues after the first pointer
        int pointers = 0;
        int length = 0;
        while (true) {
            int len = b.get(p) & 0xFF;
            if ((len & 0xC0) == 0xC0) {
                if (++pointers > MAX_POINTERS) {
                    throw new DnsParseException("too many compression pointers");
                }
                if (end < 0) {
                    end = p + 2;
                }
                p = ((len & 0x3F) << 8) | (b.get(p + 1) & 0xFF);
                continue;
            }
            if ((len & 0xC0) != 0) {
                throw new DnsParseException("reserved label type");
            }
            if (len == 0) {
                b.position(end < 0 ? p + 1 : end);
                return s.toString();
            }
            length += len + 1;
            if (length > MAX_NAME) {
                throw new DnsParseException("name longer than 255 bytes");
            }
            byte[] label = new byte[len];
            b.get(p + 1, label);
            if (!s.isEmpty()) {
                s.append('.');
            }
            s.append(new String(label, StandardCharsets.UTF_8));
            p += 1 + len;
        }
    }

    public static byte[] encode(DnsMessage m) {
        ByteBuffer b = ByteBuffer.allocate(MAX_MESSAGE);
        b.putShort((short) m.id()).putShort((short) m.flags())
                .putShort((short) m.questions().size()).putShort((short) m.answers().size())
                .putShort((short) 0).putShort((short) m.additionals().size());
        for (DnsQuestion q : m.questions()) {
            putName(b, q.name());
            b.putShort((short) q.type()).putShort((short) q.qclass());
        }
        for (List<DnsRecord> list : List.of(m.answers(), m.additionals())) {
            for (DnsRecord r : list) {
                putName(b, r.name());
                b.putShort((short) r.type()).putShort((short) r.rclass()).putInt((int) r.ttlSeconds())
                        .putShort((short) r.data().length());
                r.data().writeTo(b);
            }
        }
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }

    private static void putName(ByteBuffer b, String name) {
        for (String label : name.split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.UTF_8);
            if (l.length == 0 || l.length > 63) {
                throw new IllegalArgumentException("labels are 1..63 bytes: " + name);
            }
            b.put((byte) l.length).put(l);
        }
        b.put((byte) 0);
    }
}
