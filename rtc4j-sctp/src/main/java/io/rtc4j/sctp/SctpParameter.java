package io.rtc4j.sctp;

import java.util.List;
import java.util.Objects;

/** A TLV parameter of INIT, INIT ACK (RFC 9260 §3.3.2) or RE-CONFIG (RFC 6525 §4). */
sealed interface SctpParameter {
    int STATE_COOKIE = 7, UNRECOGNIZED = 8, ZERO_CHECKSUM_ACCEPTABLE = 0x8001, SUPPORTED_EXTENSIONS = 0x8008,
            FORWARD_TSN_SUPPORTED = 0xC000, OUTGOING_SSN_RESET = 13, INCOMING_SSN_RESET = 14, SSN_TSN_RESET = 15,
            RECONFIG_RESPONSE = 16, ADD_OUTGOING_STREAMS = 17, ADD_INCOMING_STREAMS = 18;

    int type();

    record StateCookie(byte[] cookie) implements SctpParameter {
        public StateCookie {
            Objects.requireNonNull(cookie, "cookie");
        }

        @Override
        public int type() {
            return STATE_COOKIE;
        }
    }

    /** RFC 5061 §4.2.7: chunk types the sender supports beyond the base protocol. */
    record SupportedExtensions(byte[] chunkTypes) implements SctpParameter {
        public SupportedExtensions {
            Objects.requireNonNull(chunkTypes, "chunkTypes");
        }

        boolean supports(int chunkType) {
            for (byte b : chunkTypes) {
                if ((b & 0xFF) == chunkType) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int type() {
            return SUPPORTED_EXTENSIONS;
        }
    }

    /** RFC 3758 §3.1. */
    record ForwardTsnSupported() implements SctpParameter {
        @Override
        public int type() {
            return FORWARD_TSN_SUPPORTED;
        }
    }

    /** RFC 9653 §4: the sender accepts packets with a zero checksum when the error detection method is EDMID. */
    record ZeroChecksumAcceptable(long edmid) implements SctpParameter {
        static final long DTLS = 1;

        @Override
        public int type() {
            return ZERO_CHECKSUM_ACCEPTABLE;
        }
    }

    /** RFC 6525 §4.1. Sequence numbers and the TSN are raw 32-bit values. */
    record OutgoingSsnResetRequest(int requestSeq, int responseSeq, int lastTsn, List<Integer> streams)
            implements SctpParameter {
        public OutgoingSsnResetRequest {
            streams = List.copyOf(streams);
        }

        @Override
        public int type() {
            return OUTGOING_SSN_RESET;
        }
    }

    /** RFC 6525 §4.2. */
    record IncomingSsnResetRequest(int requestSeq, List<Integer> streams) implements SctpParameter {
        public IncomingSsnResetRequest {
            streams = List.copyOf(streams);
        }

        @Override
        public int type() {
            return INCOMING_SSN_RESET;
        }
    }

    /** RFC 6525 §4.3. */
    record SsnTsnResetRequest(int requestSeq) implements SctpParameter {
        @Override
        public int type() {
            return SSN_TSN_RESET;
        }
    }

    /** RFC 6525 §4.4; the two TSNs are present only together ({@code hasTsns}). */
    record ReconfigResponse(int responseSeq, int result, boolean hasTsns, int senderNextTsn, int receiverNextTsn)
            implements SctpParameter {
        static final int SUCCESS_NOTHING_TO_DO = 0, SUCCESS_PERFORMED = 1, DENIED = 2, ERROR_WRONG_SSN = 3,
                ERROR_REQUEST_ALREADY_IN_PROGRESS = 4, ERROR_BAD_SEQUENCE_NUMBER = 5, IN_PROGRESS = 6;

        static ReconfigResponse of(int responseSeq, int result) {
            return new ReconfigResponse(responseSeq, result, false, 0, 0);
        }

        @Override
        public int type() {
            return RECONFIG_RESPONSE;
        }
    }

    /** RFC 6525 §4.5 (17) and §4.6 (18). */
    record AddStreams(boolean outgoing, int requestSeq, int newStreams) implements SctpParameter {
        public AddStreams {
            if (newStreams < 0 || newStreams > 0xFFFF) {
                throw new IllegalArgumentException("new streams out of range: " + newStreams);
            }
        }

        @Override
        public int type() {
            return outgoing ? ADD_OUTGOING_STREAMS : ADD_INCOMING_STREAMS;
        }
    }

    record Unknown(int type, byte[] value) implements SctpParameter {
        public Unknown {
            if (type < 0 || type > 0xFFFF) {
                throw new IllegalArgumentException("type out of range: " + type);
            }
            Objects.requireNonNull(value, "value");
        }
    }
}
