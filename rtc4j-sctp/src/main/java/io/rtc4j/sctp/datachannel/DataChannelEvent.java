package io.rtc4j.sctp.datachannel;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** Something that happened to the data channels of one endpoint. */
public sealed interface DataChannelEvent extends DataChannelOutput {

    /** The SCTP association is up; channels may open. */
    record TransportEstablished() implements DataChannelEvent {}

    /** The SCTP association ended (shutdown, abort or failure); every channel closed with it. */
    record TransportClosed(String reason) implements DataChannelEvent {}

    /** A channel opened: ours acknowledged (or negotiated), or the peer's announced by DATA_CHANNEL_OPEN. */
    record DataChannelOpened(DataChannel channel, boolean remotelyCreated) implements DataChannelEvent {
        public DataChannelOpened {
            Objects.requireNonNull(channel, "channel");
        }
    }

    /** One message; {@code data} is UTF-8 when {@code binary} is false. Empty messages have empty data. */
    record MessageReceived(int channelId, boolean binary, byte[] data) implements DataChannelEvent {
        public MessageReceived {
            Objects.requireNonNull(data, "data");
        }

        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    /** The channel's bufferedAmount fell to or below its bufferedAmountLowThreshold. */
    record BufferedAmountLow(int channelId) implements DataChannelEvent {}

    /** The channel closed: both directions of its stream were reset (RFC 8831 §6.7), or the transport ended. */
    record DataChannelClosed(int channelId) implements DataChannelEvent {}

    /** Input that was ignored (malformed SCTP or DCEP, unknown stream...); counted, never thrown. */
    record InputDropped(String reason) implements DataChannelEvent {}
}
