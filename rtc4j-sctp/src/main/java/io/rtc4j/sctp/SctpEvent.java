package io.rtc4j.sctp;

import java.util.List;
import java.util.Objects;

/** Something that happened to an {@link SctpAssociation}. */
public sealed interface SctpEvent extends SctpOutput {

    /** The four-way handshake completed (RFC 9260 §5.1); data may flow. */
    record AssociationEstablished(int outboundStreams, int inboundStreams, boolean peerSupportsPartialReliability,
            boolean peerSupportsStreamReset) implements SctpEvent {}

    /** A complete user message (RFC 9260 §6.9 reassembled). {@code data} belongs to the receiver. */
    record MessageReceived(int streamId, int ppid, byte[] data, boolean unordered) implements SctpEvent {
        public MessageReceived {
            Objects.requireNonNull(data, "data");
        }
    }

    /** The peer reset these of its outgoing streams (our incoming), RFC 6525 §5.2.2. */
    record IncomingStreamsReset(List<Integer> streamIds) implements SctpEvent {
        public IncomingStreamsReset {
            streamIds = List.copyOf(streamIds);
        }
    }

    /** Our reset request for these outgoing streams was performed by the peer (RFC 6525 §5.2.7). */
    record OutgoingStreamsReset(List<Integer> streamIds) implements SctpEvent {
        public OutgoingStreamsReset {
            streamIds = List.copyOf(streamIds);
        }
    }

    /** The peer denied or failed our reset request with this RFC 6525 §4.4 result. */
    record StreamResetFailed(List<Integer> streamIds, int result) implements SctpEvent {
        public StreamResetFailed {
            streamIds = List.copyOf(streamIds);
        }
    }

    /** The stream's queued bytes fell to or below its low threshold. */
    record BufferedAmountLow(int streamId) implements SctpEvent {}

    /** The association ended; no more output except this. */
    record AssociationClosed(Reason reason, String detail) implements SctpEvent {
        public enum Reason {
            SHUTDOWN_COMPLETED,
            ABORTED_BY_PEER,
            ABORTED_LOCALLY,
            /** Too many retransmissions or timeouts (RFC 9260 §8.1), or a handshake that never completed. */
            FAILED
        }

        public AssociationClosed {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A packet or chunk was ignored: malformed, bad tag, no buffer room... Counted, never thrown. */
    record PacketDropped(String reason) implements SctpEvent {}
}
