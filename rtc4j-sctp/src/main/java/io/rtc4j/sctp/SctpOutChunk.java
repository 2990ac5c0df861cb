package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Data;
import java.time.Instant;

/** One sent DATA chunk and its transmission state (the sender's bookkeeping; mutable, package-private). */
final class SctpOutChunk {
    final long tsn;
    final Data chunk;
    final SctpOutMessage msg;
    final int size;
    Instant sentAt;
    int transmissions;
    int missReports;
    boolean acked;
    boolean inFlight;
    boolean retransmit;
    boolean fastRetransmitted;
    boolean abandoned;
    /** Our next new TSN when this chunk was last resent after a fast retransmit (SctpSender.lostRetransmissions). */
    long resentBefore = -1;
    /** Union-find link over chunks that can never get a miss indication again (SctpSender.nextMissable). */
    long skip;

    SctpOutChunk(long tsn, Data chunk, SctpOutMessage msg) {
        this.tsn = tsn;
        this.skip = tsn + 1;
        this.chunk = chunk;
        this.msg = msg;
        this.size = SctpCodec.padded(SctpCodec.DATA_HEADER + chunk.payload().length);
    }
}
