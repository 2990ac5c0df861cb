package io.rtc4j.sctp;

import java.time.Instant;
import java.util.Objects;

/** What {@link SctpAssociation#pollOutput()} returns: a packet to send, an event, or the next deadline. */
public sealed interface SctpOutput permits SctpOutput.Transmit, SctpOutput.Timeout, SctpEvent {

    /** One SCTP packet for the DTLS layer to send as application data. */
    record Transmit(byte[] packet) implements SctpOutput {
        public Transmit {
            Objects.requireNonNull(packet, "packet");
        }
    }

    /** Nothing more to do until {@code deadline} ({@link Instant#MAX}: no timer) or new input. */
    record Timeout(Instant deadline) implements SctpOutput {
        public Timeout {
            Objects.requireNonNull(deadline, "deadline");
        }
    }
}
