package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.SkippedStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stream list of a FORWARD-TSN (RFC 3758 §3.5 C): per stream, the SSN of the last abandoned ordered chunk in
 * (cumulative ack, advanced peer ack point], streams in order of first appearance. A FORWARD-TSN repeats on every
 * SACK until the peer moves its cumulative ack, so the list is kept between calls and each repeat scans only the
 * TSNs skipped since; it is rebuilt when the cumulative ack moves or a TSN already scanned is abandoned late.
 */
final class SctpForwardTsnStreams {
    private final Map<Integer, Integer> lastSsn = new LinkedHashMap<>();
    private long cum = Long.MIN_VALUE; // the list covers (cum, scanned]
    private long scanned;
    /** TSNs looked at (cost accounting for tests). */
    long visits;

    /** A chunk was abandoned; if it was already scanned as live, rescan. */
    void abandoned(long tsn) {
        if (tsn > cum && tsn <= scanned) {
            cum = Long.MIN_VALUE;
        }
    }

    ForwardTsn build(long cumAck, long advancedPeerAckPoint, SctpTsnRing<SctpOutChunk> outstanding) {
        if (cum != cumAck) {
            lastSsn.clear();
            cum = cumAck;
            scanned = cumAck;
        }
        for (long t = scanned + 1; t <= advancedPeerAckPoint; t++) {
            SctpOutChunk c = outstanding.get(t);
            visits++;
            if (c.abandoned && !c.chunk.unordered()) {
                lastSsn.put(c.chunk.streamId(), c.chunk.ssn()); // keeps the stream's first position
            }
        }
        scanned = Math.max(scanned, advancedPeerAckPoint);
        List<SkippedStream> s = new ArrayList<>(lastSsn.size());
        lastSsn.forEach((id, ssn) -> s.add(new SkippedStream(id, ssn)));
        return new ForwardTsn((int) advancedPeerAckPoint, s);
    }
}
