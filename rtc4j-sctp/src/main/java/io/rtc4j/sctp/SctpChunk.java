package io.rtc4j.sctp;

import java.util.List;
import java.util.Objects;

/**
 * One SCTP chunk (RFC 9260 §3.2, RFC 3758 §3.2, RFC 6525 §3.1). Records are immutable in their fields; byte arrays
 * are not copied (the codec makes fresh ones) and must not be changed after construction.
 */
sealed interface SctpChunk {
    int DATA = 0, INIT = 1, INIT_ACK = 2, SACK = 3, HEARTBEAT = 4, HEARTBEAT_ACK = 5, ABORT = 6, SHUTDOWN = 7,
            SHUTDOWN_ACK = 8, ERROR = 9, COOKIE_ECHO = 10, COOKIE_ACK = 11, SHUTDOWN_COMPLETE = 14,
            RE_CONFIG = 130, FORWARD_TSN = 192;

    /** The chunk type byte. */
    int type();

    private static void u16(int v, String name) {
        if (v < 0 || v > 0xFFFF) {
            throw new IllegalArgumentException(name + " out of range: " + v);
        }
    }

    /** RFC 9260 §3.3.1 (I = immediate SACK, RFC 7053). tsn and ppid are raw 32-bit values. */
    record Data(boolean unordered, boolean beginning, boolean ending, boolean immediate, int tsn, int streamId,
            int ssn, int ppid, byte[] payload) implements SctpChunk {
        public Data {
            u16(streamId, "stream id");
            u16(ssn, "ssn");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public int type() {
            return DATA;
        }
    }

    /** The common body of INIT and INIT ACK (RFC 9260 §3.3.2, §3.3.3). */
    record InitBody(int initiateTag, long aRwnd, int outboundStreams, int inboundStreams, int initialTsn,
            List<SctpParameter> parameters) {
        public InitBody {
            if (aRwnd < 0 || aRwnd > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("a_rwnd out of range: " + aRwnd);
            }
            u16(outboundStreams, "outbound streams");
            u16(inboundStreams, "inbound streams");
            parameters = List.copyOf(parameters);
        }

        <P extends SctpParameter> P get(Class<P> type) {
            for (SctpParameter p : parameters) {
                if (type.isInstance(p)) {
                    return type.cast(p);
                }
            }
            return null;
        }
    }

    record Init(InitBody body) implements SctpChunk {
        public Init {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int type() {
            return INIT;
        }
    }

    record InitAck(InitBody body) implements SctpChunk {
        public InitAck {
            Objects.requireNonNull(body, "body");
        }

        @Override
        public int type() {
            return INIT_ACK;
        }
    }

    /** One gap ack block, offsets relative to the cumulative TSN ack (RFC 9260 §3.3.4). */
    record GapBlock(int start, int end) {
        public GapBlock {
            u16(start, "gap start");
            u16(end, "gap end");
        }
    }

    record Sack(int cumulativeTsnAck, long aRwnd, List<GapBlock> gapBlocks, List<Integer> duplicateTsns)
            implements SctpChunk {
        public Sack {
            if (aRwnd < 0 || aRwnd > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("a_rwnd out of range: " + aRwnd);
            }
            gapBlocks = List.copyOf(gapBlocks);
            duplicateTsns = List.copyOf(duplicateTsns);
        }

        @Override
        public int type() {
            return SACK;
        }
    }

    /** RFC 9260 §3.3.5: the Heartbeat Info parameter's value, opaque to the receiver. */
    record Heartbeat(byte[] info) implements SctpChunk {
        public Heartbeat {
            Objects.requireNonNull(info, "info");
        }

        @Override
        public int type() {
            return HEARTBEAT;
        }
    }

    record HeartbeatAck(byte[] info) implements SctpChunk {
        public HeartbeatAck {
            Objects.requireNonNull(info, "info");
        }

        @Override
        public int type() {
            return HEARTBEAT_ACK;
        }
    }

    /** RFC 9260 §3.3.7; T bit: the verification tag is the sender's own (reflected). */
    record Abort(boolean tagReflected, List<SctpErrorCause> causes) implements SctpChunk {
        public Abort {
            causes = List.copyOf(causes);
        }

        @Override
        public int type() {
            return ABORT;
        }
    }

    record Shutdown(int cumulativeTsnAck) implements SctpChunk {
        @Override
        public int type() {
            return SHUTDOWN;
        }
    }

    record ShutdownAck() implements SctpChunk {
        @Override
        public int type() {
            return SHUTDOWN_ACK;
        }
    }

    record ShutdownComplete(boolean tagReflected) implements SctpChunk {
        @Override
        public int type() {
            return SHUTDOWN_COMPLETE;
        }
    }

    /** The ERROR chunk, RFC 9260 §3.3.10 (named apart from java.lang.Error). */
    record OperationError(List<SctpErrorCause> causes) implements SctpChunk {
        public OperationError {
            causes = List.copyOf(causes);
        }

        @Override
        public int type() {
            return ERROR;
        }
    }

    record CookieEcho(byte[] cookie) implements SctpChunk {
        public CookieEcho {
            Objects.requireNonNull(cookie, "cookie");
        }

        @Override
        public int type() {
            return COOKIE_ECHO;
        }
    }

    record CookieAck() implements SctpChunk {
        @Override
        public int type() {
            return COOKIE_ACK;
        }
    }

    /** RFC 3758 §3.2: one skipped ordered stream and its last skipped SSN. */
    record SkippedStream(int streamId, int ssn) {
        public SkippedStream {
            u16(streamId, "stream id");
            u16(ssn, "ssn");
        }
    }

    record ForwardTsn(int newCumulativeTsn, List<SkippedStream> streams) implements SctpChunk {
        public ForwardTsn {
            streams = List.copyOf(streams);
        }

        @Override
        public int type() {
            return FORWARD_TSN;
        }
    }

    /** RFC 6525 §3.1: one or two re-configuration parameters. */
    record ReConfig(List<SctpParameter> parameters) implements SctpChunk {
        public ReConfig {
            parameters = List.copyOf(parameters);
        }

        @Override
        public int type() {
            return RE_CONFIG;
        }
    }

    /** A chunk type we do not implement; its two upper type bits say what to do (RFC 9260 §3.2). */
    record Unknown(int type, int flags, byte[] value) implements SctpChunk {
        public Unknown {
            if (type < 0 || type > 255 || flags < 0 || flags > 255) {
                throw new IllegalArgumentException("type/flags out of range");
            }
            Objects.requireNonNull(value, "value");
        }

        /** Upper bits 01 or 11: report in an ERROR with cause 6. */
        boolean report() {
            return (type & 0x40) != 0;
        }

        /** Upper bits 10 or 11: skip and go on with the packet; 00 and 01: discard the rest of the packet. */
        boolean skip() {
            return (type & 0x80) != 0;
        }
    }
}
