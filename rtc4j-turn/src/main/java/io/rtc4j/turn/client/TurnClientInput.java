package io.rtc4j.turn.client;

import io.rtc4j.stun.Data;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.turn.ChannelData;
import io.rtc4j.turn.client.TurnClientEvent.TurnDataReceived;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The receive half of {@link TurnClient}: sorts one datagram or stream frame from the server into ChannelData
 * (RFC 8656 §12.6), Data indications (§10.4) and responses, and counts everything else as a drop.
 */
final class TurnClientInput {
    private final TurnClient client;
    private final TurnClientRequests requests;

    TurnClientInput(TurnClient client, TurnClientRequests requests) {
        this.client = client;
        this.requests = requests;
    }

    /** One datagram (UDP) or one whole frame (TCP/TLS), between the buffer's position and limit. */
    void frame(Instant now, ByteBuffer in) {
        if (ChannelData.isChannelData(in)) {
            channelData(in);
        } else if (StunCodec.isStun(in)) {
            StunMessage m;
            try {
                m = StunCodec.decode(in.duplicate());
            } catch (StunParseException e) {
                client.drop(TurnClientDrop.MALFORMED);
                return;
            }
            switch (m.messageClass()) {
                case INDICATION -> dataIndication(m);
                case REQUEST -> client.drop(TurnClientDrop.UNEXPECTED_MESSAGE);
                default -> requests.response(now, m);
            }
        } else {
            client.drop(TurnClientDrop.NOT_STUN_OR_CHANNEL_DATA);
        }
    }

    // RFC 8656 §12.6: the channel number names the peer; over UDP bytes past the length are padding
    private void channelData(ByteBuffer in) {
        int p = in.position();
        int number = in.getShort(p) & 0xFFFF;
        int length = in.getShort(p + 2) & 0xFFFF;
        if (length > in.remaining() - ChannelData.HEADER_LENGTH) {
            client.drop(TurnClientDrop.MALFORMED);
            return;
        }
        if (!client.hasAllocation()) {
            client.drop(TurnClientDrop.NO_ALLOCATION);
            return;
        }
        TurnPeers.Channel c = client.peers().channel(number);
        if (c == null) {
            client.drop(TurnClientDrop.UNKNOWN_CHANNEL);
            return;
        }
        ByteBuffer data = in.slice(p + ChannelData.HEADER_LENGTH, length).asReadOnlyBuffer();
        client.emit(new TurnDataReceived(c.peer, data));
    }

    // RFC 8656 §10.4
    private void dataIndication(StunMessage m) {
        if (!m.method().equals(StunMethod.DATA)) {
            client.drop(TurnClientDrop.UNEXPECTED_MESSAGE);
            return;
        }
        if (!m.unknownComprehensionRequired().isEmpty()) {
            client.drop(TurnClientDrop.UNKNOWN_ATTRIBUTE); // RFC 8489 §6.3.2: such an indication is discarded
            return;
        }
        XorPeerAddress peer = m.getOrNull(XorPeerAddress.class);
        Data data = m.getOrNull(Data.class);
        if (peer == null || data == null) {
            client.drop(TurnClientDrop.MISSING_ATTRIBUTE);
            return;
        }
        if (!client.hasAllocation()) {
            client.drop(TurnClientDrop.NO_ALLOCATION);
            return;
        }
        if (client.peers().permission(peer.address().getAddress()) == null) {
            client.drop(TurnClientDrop.NO_PERMISSION); // §10.4: SHOULD discard data from peers without a permission
            return;
        }
        client.emit(new TurnDataReceived(peer.address(), data.value().asReadOnlyBuffer()));
    }
}
