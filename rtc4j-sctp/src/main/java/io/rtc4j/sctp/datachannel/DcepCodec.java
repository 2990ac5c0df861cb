package io.rtc4j.sctp.datachannel;

import io.rtc4j.sctp.SctpParseException;
import io.rtc4j.sctp.datachannel.DcepMessage.Ack;
import io.rtc4j.sctp.datachannel.DcepMessage.Open;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Stateless DCEP codec (RFC 8832 §5); label and protocol are UTF-8 and length-checked. */
final class DcepCodec {
    private DcepCodec() {}

    static DcepMessage decode(byte[] b) throws SctpParseException {
        if (b.length < 1) {
            throw new SctpParseException("empty DCEP message");
        }
        ByteBuffer in = ByteBuffer.wrap(b);
        int type = in.get() & 0xFF;
        switch (type) {
            case DcepMessage.ACK -> {
                return new Ack(); // §5.2: trailing bytes are not defined; tolerated
            }
            case DcepMessage.OPEN -> {
                if (b.length < 12) {
                    throw new SctpParseException("DATA_CHANNEL_OPEN truncated");
                }
                int channelType = in.get() & 0xFF;
                int priority = in.getShort() & 0xFFFF;
                long reliability = in.getInt() & 0xFFFF_FFFFL;
                int labelLength = in.getShort() & 0xFFFF;
                int protocolLength = in.getShort() & 0xFFFF;
                if (labelLength + protocolLength > in.remaining()) {
                    throw new SctpParseException("DATA_CHANNEL_OPEN label/protocol beyond the message");
                }
                switch (channelType) {
                    case DcepMessage.RELIABLE, DcepMessage.RELIABLE_UNORDERED, DcepMessage.PARTIAL_RELIABLE_REXMIT,
                            DcepMessage.PARTIAL_RELIABLE_REXMIT_UNORDERED, DcepMessage.PARTIAL_RELIABLE_TIMED,
                            DcepMessage.PARTIAL_RELIABLE_TIMED_UNORDERED -> {}
                    default -> throw new SctpParseException("unknown channel type " + channelType);
                }
                String label = utf8(b, in.position(), labelLength);
                String protocol = utf8(b, in.position() + labelLength, protocolLength);
                return new Open(channelType, priority, reliability, label, protocol);
            }
            default -> throw new SctpParseException("unknown DCEP message type " + type);
        }
    }

    private static String utf8(byte[] b, int off, int len) throws SctpParseException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len)).toString();
        } catch (CharacterCodingException e) {
            throw new SctpParseException("label or protocol is not UTF-8");
        }
    }

    static byte[] encode(DcepMessage m) {
        return switch (m) {
            case Ack a -> new byte[] {DcepMessage.ACK};
            case Open o -> {
                byte[] label = o.label().getBytes(StandardCharsets.UTF_8);
                byte[] protocol = o.protocol().getBytes(StandardCharsets.UTF_8);
                if (label.length > 0xFFFF || protocol.length > 0xFFFF) {
                    throw new IllegalArgumentException("label or protocol longer than 65535 bytes");
                }
                ByteBuffer out = ByteBuffer.allocate(12 + label.length + protocol.length);
                out.put((byte) DcepMessage.OPEN).put((byte) o.channelType()).putShort((short) o.priority())
                        .putInt((int) o.reliabilityParameter()).putShort((short) label.length)
                        .putShort((short) protocol.length).put(label).put(protocol);
                yield out.array();
            }
        };
    }
}
