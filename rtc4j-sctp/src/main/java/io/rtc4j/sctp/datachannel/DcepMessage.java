package io.rtc4j.sctp.datachannel;

import java.util.Objects;

/** A Data Channel Establishment Protocol message (RFC 8832 §5), sent with PPID 50. */
sealed interface DcepMessage {
    int OPEN = 0x03, ACK = 0x02;

    /** RFC 8832 §5.1 channel types. */
    int RELIABLE = 0x00, RELIABLE_UNORDERED = 0x80, PARTIAL_RELIABLE_REXMIT = 0x01,
            PARTIAL_RELIABLE_REXMIT_UNORDERED = 0x81, PARTIAL_RELIABLE_TIMED = 0x02,
            PARTIAL_RELIABLE_TIMED_UNORDERED = 0x82;

    /** DATA_CHANNEL_OPEN; {@code reliabilityParameter} is retransmissions or milliseconds by channel type. */
    record Open(int channelType, int priority, long reliabilityParameter, String label, String protocol)
            implements DcepMessage {
        public Open {
            switch (channelType) {
                case RELIABLE, RELIABLE_UNORDERED, PARTIAL_RELIABLE_REXMIT, PARTIAL_RELIABLE_REXMIT_UNORDERED,
                        PARTIAL_RELIABLE_TIMED, PARTIAL_RELIABLE_TIMED_UNORDERED -> {}
                default -> throw new IllegalArgumentException("unknown channel type " + channelType);
            }
            if (priority < 0 || priority > 0xFFFF || reliabilityParameter < 0 || reliabilityParameter > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("priority or reliability parameter out of range");
            }
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(protocol, "protocol");
        }

        boolean unordered() {
            return (channelType & 0x80) != 0;
        }
    }

    /** DATA_CHANNEL_ACK. */
    record Ack() implements DcepMessage {}
}
