package io.rtc4j.turn.client;

import io.rtc4j.stun.AttributeType;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.turn.ChannelData;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** Application data to the server: Send indications (RFC 8656 §10.1) and ChannelData (§12.4, §12.5). */
final class TurnClientFraming {
    private static final MessageType SEND_INDICATION = new MessageType(StunMethod.SEND, StunClass.INDICATION);
    /** The largest UDP payload over IPv4 (65535 - 20 - 8): the bound for anything sent over UDP. */
    static final int MAX_UDP_PAYLOAD = 65_507;

    private TurnClientFraming() {}

    /** ChannelData, padded to a multiple of 4 over stream transports (RFC 8656 §12.5). */
    static ByteBuffer channelData(int channel, ByteBuffer payload, boolean stream) {
        int length = payload.remaining();
        int padding = stream ? (4 - (length & 3)) & 3 : 0;
        check(ChannelData.HEADER_LENGTH + length + padding, length, stream);
        ByteBuffer out = ByteBuffer.allocate(ChannelData.HEADER_LENGTH + length + padding);
        ChannelData.encode(channel, payload, out, stream);
        return out.flip();
    }

    /**
     * A Send indication: header and XOR-PEER-ADDRESS through the codec, then DATA written straight from the
     * payload (one copy, as the server does for Data indications).
     */
    static ByteBuffer sendIndication(TransactionId id, InetSocketAddress peer, ByteBuffer payload) {
        int length = payload.remaining();
        int padded = (length + 3) & ~3;
        int peerAttribute = 4 + (peer.getAddress() instanceof Inet4Address ? 8 : 20);
        int total = StunCodec.HEADER_LENGTH + peerAttribute + 4 + padded;
        check(total, length, false);
        ByteBuffer out = ByteBuffer.allocate(total);
        StunCodec.encode(StunMessage.builder(SEND_INDICATION, id).add(new XorPeerAddress(peer)).build(), out,
                StunProtection.NONE);
        out.putShort((short) AttributeType.DATA).putShort((short) length).put(payload.duplicate());
        while (out.hasRemaining()) {
            out.put((byte) 0);
        }
        out.putShort(2, (short) (total - StunCodec.HEADER_LENGTH));
        return out.flip();
    }

    private static void check(int total, int length, boolean stream) {
        if (length > 0xFFFF || total - StunCodec.HEADER_LENGTH > 0xFFFF || (!stream && total > MAX_UDP_PAYLOAD)) {
            throw new IllegalArgumentException("payload too large for TURN framing: " + length + " bytes");
        }
    }
}
