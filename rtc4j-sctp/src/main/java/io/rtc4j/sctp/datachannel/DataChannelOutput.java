package io.rtc4j.sctp.datachannel;

import java.time.Instant;
import java.util.Objects;

/** What {@link DataChannelEndpoint#pollOutput()} returns: an SCTP packet to send, an event, or the next deadline. */
public sealed interface DataChannelOutput permits DataChannelOutput.Transmit, DataChannelOutput.Timeout,
        DataChannelEvent {

    /** One SCTP packet, for DTLS to send as application data. */
    record Transmit(byte[] packet) implements DataChannelOutput {
        public Transmit {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** Call {@code handleTimeout} at {@code deadline} ({@link Instant#MAX}: no timer). */
    record Timeout(Instant deadline) implements DataChannelOutput {
        public Timeout {
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}
