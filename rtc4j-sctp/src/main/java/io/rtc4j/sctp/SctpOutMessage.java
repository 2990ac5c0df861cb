package io.rtc4j.sctp;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One queued user message and the DATA chunks it became (the sender's bookkeeping; mutable, package-private). */
final class SctpOutMessage {
    final int stream;
    final int ppid;
    final byte[] data;
    final boolean unordered;
    final int maxRetransmits;
    final Instant expiry;
    final List<SctpOutChunk> chunks = new ArrayList<>(1);
    /** Chunks with {@code acked} set, counting those already below the cumulative ack (they keep the flag). */
    int ackedChunks;
    int offset;
    int ssn = -1;
    boolean abandoned;

    SctpOutMessage(int stream, int ppid, byte[] data, SctpSendOptions o, Instant now) {
        this.stream = stream;
        this.ppid = ppid;
        this.data = data;
        this.unordered = o.unordered();
        this.maxRetransmits = o.maxRetransmits();
        this.expiry = o.lifetime() == null ? null : now.plus(o.lifetime());
    }
}
