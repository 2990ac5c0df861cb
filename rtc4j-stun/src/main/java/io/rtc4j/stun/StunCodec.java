package io.rtc4j.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Stateless STUN message codec (RFC 8489 §5, §14). Decoding rejects anything malformed with a {@link
 * StunParseException}; it never throws anything else on any input.
 */
public final class StunCodec {
    public static final int MAGIC_COOKIE = 0x2112A442;
    public static final int HEADER_LENGTH = 20;
    /** The largest message: a 16-bit length field after a 20-byte header. */
    public static final int MAX_MESSAGE_LENGTH = HEADER_LENGTH + 0xFFFC;
    /** Most messages fit a path MTU; encoding starts with this much room. */
    private static final int TYPICAL_MESSAGE_LENGTH = 1536;

    private StunCodec() {}

    /**
     * Cheap test for the RFC 7983/RFC 8489 §5 shape: first two bits zero, length a multiple of 4, the magic
     * cookie, and enough bytes. Does not move the buffer's position.
     */
    public static boolean isStun(ByteBuffer in) {
        int p = in.position();
        return in.remaining() >= HEADER_LENGTH
                && (in.get(p) & 0xC0) == 0
                && (in.getShort(p + 2) & 3) == 0
                && in.getInt(p + 4) == MAGIC_COOKIE;
    }

    /**
     * For stream transports (RFC 8489 §6.2.2): the total length of the message starting at the buffer's
     * position, or -1 while fewer than 4 bytes are available. Does not move the position.
     */
    public static int frameLength(ByteBuffer in) {
        if (in.remaining() < 4) {
            return -1;
        }
        return HEADER_LENGTH + (in.getShort(in.position() + 2) & 0xFFFF);
    }

    /** Decodes one whole message: the buffer must hold exactly it (a datagram or a framed stream message). */
    public static StunMessage decode(ByteBuffer in) throws StunParseException {
        int remaining = in.remaining();
        if (remaining < HEADER_LENGTH) {
            throw new StunParseException("shorter than a STUN header");
        }
        byte[] raw = new byte[remaining];
        in.get(raw);
        ByteBuffer b = ByteBuffer.wrap(raw);
        int typeField = b.getShort() & 0xFFFF;
        int length = b.getShort() & 0xFFFF;
        if ((typeField & 0xC000) != 0) {
            throw new StunParseException("first two bits are not zero");
        }
        if (b.getInt() != MAGIC_COOKIE) {
            throw new StunParseException("no magic cookie");
        }
        if ((length & 3) != 0) {
            throw new StunParseException("length is not a multiple of 4");
        }
        if (length != remaining - HEADER_LENGTH) {
            throw new StunParseException("length field " + length + " but " + (remaining - HEADER_LENGTH) + " bytes");
        }
        MessageType type = MessageType.decode(typeField);
        TransactionId tid = TransactionId.read(b);
        return decodeAttributes(type, tid, raw, b);
    }

    private static StunMessage decodeAttributes(MessageType type, TransactionId tid, byte[] raw, ByteBuffer b)
            throws StunParseException {
        List<StunAttribute> attributes = new ArrayList<>();
        int integrity = -1;
        int integritySha256 = -1;
        while (b.hasRemaining()) {
            int start = b.position();
            if (b.remaining() < 4) {
                throw new StunParseException("truncated attribute header");
            }
            int attrType = b.getShort() & 0xFFFF;
            int attrLength = b.getShort() & 0xFFFF;
            int padded = (attrLength + 3) & ~3;
            if (attrLength > b.remaining()) {
                throw new StunParseException("attribute 0x" + Integer.toHexString(attrType) + " overruns the message");
            }
            ByteBuffer value = b.slice(b.position(), attrLength);
            b.position(Math.min(b.limit(), b.position() + padded));
            if (attrType == AttributeType.FINGERPRINT) {
                // RFC 8489 §14.7: the last attribute, checked here so a corrupt message is dropped
                if (b.hasRemaining()) {
                    throw new StunParseException("FINGERPRINT is not the last attribute");
                }
                Fingerprint fp = (Fingerprint) StunAttributeCodec.decode(attrType, value, tid);
                if (fp.value() != StunIntegrity.fingerprint(raw, 0, start)) {
                    throw new StunParseException("FINGERPRINT mismatch");
                }
                attributes.add(fp);
                break;
            }
            if (integritySha256 >= 0) {
                continue; // §14.6: only FINGERPRINT may follow MESSAGE-INTEGRITY-SHA256
            }
            if (attrType == AttributeType.MESSAGE_INTEGRITY_SHA256) {
                integritySha256 = start;
            } else if (integrity >= 0) {
                continue; // §14.5: attributes after MESSAGE-INTEGRITY are ignored
            } else if (attrType == AttributeType.MESSAGE_INTEGRITY) {
                integrity = start;
            }
            attributes.add(StunAttributeCodec.decode(attrType, value, tid));
        }
        return new StunMessage(type, tid, attributes, raw, integrity, integritySha256);
    }

    /** Encodes into a new array. */
    public static byte[] encode(StunMessage message, StunProtection protection) {
        return encode(message, protection, (byte) 0);
    }

    static byte[] encode(StunMessage message, StunProtection protection, byte padByte) {
        ByteBuffer out = ByteBuffer.allocate(TYPICAL_MESSAGE_LENGTH);
        int n;
        try {
            n = encode(message, out, protection, padByte);
        } catch (java.nio.BufferOverflowException e) {
            out = ByteBuffer.allocate(MAX_MESSAGE_LENGTH); // rare: a message with a large DATA attribute
            n = encode(message, out, protection, padByte);
        }
        byte[] result = new byte[n];
        out.get(0, result);
        return result;
    }

    /**
     * Encodes at the buffer's position and returns the number of bytes written. MESSAGE-INTEGRITY,
     * MESSAGE-INTEGRITY-SHA256 and FINGERPRINT in the message's attribute list are skipped: {@code protection}
     * decides them. The buffer must be heap-backed and large enough.
     */
    public static int encode(StunMessage message, ByteBuffer out, StunProtection protection) {
        return encode(message, out, protection, (byte) 0);
    }

    static int encode(StunMessage message, ByteBuffer out, StunProtection protection, byte padByte) {
        int start = out.position();
        TransactionId tid = message.transactionId();
        out.putShort((short) message.type().encode()).putShort((short) 0).putInt(MAGIC_COOKIE);
        tid.write(out);
        for (StunAttribute a : message.attributes()) {
            switch (a) {
                case MessageIntegrity m -> {}
                case MessageIntegritySha256 m -> {}
                case Fingerprint f -> {}
                default -> StunAttributeCodec.encode(a, out, tid, padByte);
            }
        }
        byte[] array = out.array();
        int base = out.arrayOffset() + start;
        if (protection.sha1()) {
            byte[] mac = StunIntegrity.hmac(
                    slice(array, base, out.position() - start), out.position() - start, out.position() - start + 24 - HEADER_LENGTH, protection.key(), false);
            StunAttributeCodec.encode(new MessageIntegrity(Bytes.of(mac)), out, tid);
        }
        if (protection.sha256()) {
            byte[] mac = StunIntegrity.hmac(
                    slice(array, base, out.position() - start), out.position() - start, out.position() - start + 36 - HEADER_LENGTH, protection.key(), true);
            StunAttributeCodec.encode(new MessageIntegritySha256(Bytes.of(mac)), out, tid);
        }
        if (protection.fingerprint()) {
            out.putShort(start + 2, (short) (out.position() - start + 8 - HEADER_LENGTH));
            int crc = StunIntegrity.fingerprint(array, base, out.arrayOffset() + out.position());
            StunAttributeCodec.encode(new Fingerprint(crc), out, tid);
        }
        int total = out.position() - start;
        if (total - HEADER_LENGTH > 0xFFFF) {
            throw new IllegalArgumentException("message too long: " + total);
        }
        out.putShort(start + 2, (short) (total - HEADER_LENGTH));
        return total;
    }

    private static byte[] slice(byte[] array, int offset, int length) {
        if (offset == 0) {
            return array;
        }
        byte[] copy = new byte[length];
        System.arraycopy(array, offset, copy, 0, length);
        return copy;
    }
}
