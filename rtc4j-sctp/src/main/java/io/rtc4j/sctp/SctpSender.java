package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.Sack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The data sender: fragmentation (RFC 9260 §6.9), TSN and SSN assignment, SACK processing with gap blocks
 * (§6.2.1), congestion control with byte counting (§7.2, {@link SctpCongestion}), fast retransmit (§7.2.4), T3-rtx (§6.3) and partial
 * reliability with FORWARD-TSN (RFC 3758 §3.5). There is no cap on outstanding data other than cwnd and the
 * peer's window, so a long fat path stays full.
 *
 * <p>Cost: a SACK costs O(chunks whose state changes + gap blocks), not O(window), so loss recovery with thousands
 * of chunks outstanding stays cheap: outstanding chunks are addressed by TSN ({@link SctpTsnRing}), the previous
 * gap reports are kept as ranges ({@link SctpGapScoreboard}) and only their difference is applied, miss indications
 * walk only the holes and skip chunks that can never get one again, and retransmission scans start at the lowest
 * TSN that may be marked.
 */
final class SctpSender {
    private final int maxChunkPayload;
    private final SctpRto rto;
    private boolean partialReliability;

    private final SctpCongestion congestion;
    private long flight;
    private long peerRwnd;
    private boolean fastRetransmitNow;
    private long nextTsn;
    private long cumAck;
    private long advancedPeerAckPoint;
    private boolean forwardTsnNeeded;
    private int retransmitCount;
    private long rttTsn = -1;
    private Instant rttSentAt;
    private Instant t3;
    private final SctpTsnRing<SctpOutChunk> outstanding = new SctpTsnRing<>();
    private final SctpResentWatch resent = new SctpResentWatch();
    private long fastRetransmitTotal;
    private long t3Expirations;
    private final SctpGapScoreboard scoreboard = new SctpGapScoreboard();
    /** Outstanding chunks neither acked nor abandoned (so "anything unacked?" is O(1)). */
    private int unackedLive;
    /** No chunk below this TSN is marked for retransmission. */
    private long rtxLow;
    private final SctpForwardTsnStreams forwardTsnStreams = new SctpForwardTsnStreams();
    /** Chunks visited by SACK processing, fill and PR-SCTP scans; tests bound it to prove the cost. */
    private long chunkVisits;
    private final SctpSendQueue queue;

    SctpSender(SctpConfig config, SctpRto rto, IntConsumer bufferedAmountLow) {
        this.maxChunkPayload = (config.mtu() - SctpCodec.COMMON_HEADER - SctpCodec.DATA_HEADER) & ~3;
        this.queue = new SctpSendQueue(config.maxSendQueueBytes(), bufferedAmountLow);
        this.rto = rto;
        this.congestion = new SctpCongestion(config.mtu());
    }

    /** Called once the association is up. */
    void start(int initialTsn, long peerAdvertisedRwnd, boolean peerSupportsForwardTsn) {
        partialReliability = peerSupportsForwardTsn; // without FORWARD-TSN a sent chunk can never be skipped
        nextTsn = initialTsn & 0xFFFF_FFFFL;
        cumAck = nextTsn - 1;
        advancedPeerAckPoint = cumAck;
        rtxLow = nextTsn;
        peerRwnd = peerAdvertisedRwnd;
        congestion.start(peerAdvertisedRwnd);
    }

    // ---- sending ------------------------------------------------------------------------------------------

    void enqueue(int stream, int ppid, byte[] data, SctpSendOptions options, Instant now) {
        queue.enqueue(stream, ppid, data, options, now);
    }

    long bufferedAmount(int stream) {
        return queue.bufferedAmount(stream);
    }

    void setLowThreshold(int stream, long bytes) {
        queue.setLowThreshold(stream, bytes);
    }

    boolean hasQueued(int stream) {
        return bufferedAmount(stream) > 0;
    }

    /** Nothing queued and nothing unacknowledged (for SHUTDOWN, RFC 9260 §9.2). */
    boolean idle() {
        return queue.isEmpty() && outstanding.isEmpty();
    }

    long nextTsn() {
        return nextTsn;
    }

    boolean hasWork() {
        return retransmitCount > 0 || (!queue.isEmpty() && (flight < congestion.cwnd() && (peerRwnd > 0 || flight == 0)));
    }

    /** Adds DATA chunks to one packet with {@code room} bytes left, retransmissions first; returns bytes used. */
    int fill(Instant now, List<SctpChunk> out, int room) {
        int used = 0;
        if (retransmitCount > 0) {
            long t = Math.max(rtxLow, cumAck + 1);
            for (; t < nextTsn && retransmitCount > 0; t++) {
                SctpOutChunk c = outstanding.get(t);
                chunkVisits++;
                if (!c.retransmit) {
                    continue;
                }
                if (c.size > room - used) {
                    break;
                }
                // §7.2.4: the first fast-retransmit packet ignores cwnd; otherwise cwnd rules (§6.1 B)
                if (!fastRetransmitNow && flight >= congestion.cwnd()) {
                    rtxLow = t;
                    return used;
                }
                if (shouldAbandon(c, now)) {
                    abandon(c.msg);
                    continue;
                }
                c.retransmit = false;
                retransmitCount--;
                c.inFlight = true;
                flight += c.size;
                c.transmissions++;
                c.sentAt = now;
                if (c.fastRetransmitted) {
                    resent.sent(c, nextTsn);
                }
                if (c.tsn == rttTsn) {
                    rttTsn = -1; // Karn: never time a retransmitted chunk
                }
                out.add(c.chunk);
                used += c.size;
            }
            rtxLow = t; // everything below t that was marked has been sent or abandoned
            fastRetransmitNow = false;
            if (retransmitCount > 0) {
                armT3(now, false);
                return used;
            }
        }
        while (!queue.isEmpty()) {
            SctpOutMessage m = queue.peek();
            if (m.expiry != null && !now.isBefore(m.expiry)) {
                abandon(m); // RFC 3758 §3.5 A: lifetime over before (all of) it was sent
                continue;
            }
            int remaining = m.data.length - m.offset;
            int n = Math.min(remaining, Math.min(maxChunkPayload, room - used - SctpCodec.DATA_HEADER));
            if (n <= 0 || (n < remaining && n < maxChunkPayload && used > 0)) {
                break; // fragment in a packet of its own rather than in a sliver
            }
            int size = SctpCodec.padded(SctpCodec.DATA_HEADER + n);
            if (flight >= congestion.cwnd()) {
                break;
            }
            if (peerRwnd < size && flight > 0) {
                break; // §6.1 A; with nothing in flight one chunk probes a zero window
            }
            queue.assignSsn(m);
            long tsn = nextTsn++;
            byte[] payload = (m.offset == 0 && n == m.data.length)
                    ? m.data
                    : Arrays.copyOfRange(m.data, m.offset, m.offset + n);
            Data d = new Data(m.unordered, m.offset == 0, m.offset + n == m.data.length, false, (int) tsn,
                    m.stream, m.ssn, m.ppid, payload);
            SctpOutChunk c = new SctpOutChunk(tsn, d, m);
            c.transmissions = 1;
            c.sentAt = now;
            c.inFlight = true;
            flight += c.size;
            peerRwnd = Math.max(0, peerRwnd - c.size);
            outstanding.add(tsn, c);
            unackedLive++;
            m.chunks.add(c);
            queue.sent(m, n);
            if (rttTsn < 0) {
                rttTsn = tsn;
                rttSentAt = now;
            }
            out.add(d);
            used += c.size;
        }
        armT3(now, false);
        return used;
    }

    private boolean shouldAbandon(SctpOutChunk c, Instant now) {
        if (!partialReliability || c.msg.abandoned) {
            return c.msg.abandoned;
        }
        SctpOutMessage m = c.msg;
        return (m.maxRetransmits >= 0 && c.transmissions > m.maxRetransmits)
                || (m.expiry != null && !now.isBefore(m.expiry));
    }

    /** RFC 3758 §3.5: the whole message goes; its sent chunks are skipped by FORWARD-TSN. */
    private void abandon(SctpOutMessage m) {
        m.abandoned = true;
        for (SctpOutChunk c : m.chunks) {
            if (c.acked || c.abandoned) {
                continue;
            }
            c.abandoned = true;
            if (c.tsn > cumAck) {
                unackedLive--; // (fragments at or below the cumulative ack left the count already)
            }
            forwardTsnStreams.abandoned(c.tsn);
            if (c.inFlight) {
                c.inFlight = false;
                flight -= c.size;
            }
            if (c.retransmit) {
                c.retransmit = false;
                retransmitCount--;
            }
        }
        queue.discardRest(m);
        updateAdvancedPeerAckPoint();
    }

    // ---- acknowledgements ---------------------------------------------------------------------------------

    /** Processes a SACK (RFC 9260 §6.2.1, §7.2); returns true when the cumulative TSN ack advanced. */
    boolean onSack(Instant now, Sack s) {
        long cum = cumAck + (int) (s.cumulativeTsnAck() - (int) cumAck);
        if (cum < cumAck || cum >= nextTsn) {
            return false; // §6.2.1 D i: older than our ack point, or acks what we never sent
        }
        long flightBefore = flight;
        long newlyAcked = 0;
        boolean advanced = cum > cumAck;
        while (!outstanding.isEmpty() && outstanding.headTsn() <= cum) {
            SctpOutChunk c = outstanding.poll();
            chunkVisits++;
            if (!c.acked && !c.abandoned) {
                newlyAcked += c.size;
                unackedLive--;
            }
            release(c);
            if (c.tsn == rttTsn) {
                rto.measured(Duration.between(rttSentAt, now).toNanos());
                rttTsn = -1;
            }
        }
        cumAck = Math.max(cumAck, cum);
        // Gap blocks: mark the newly reported; unmark those the peer no longer reports below the highest reported
        // TSN (it may renege, §6.2.1). Only the difference to the previous report is touched.
        scoreboard.update(s.gapBlocks(), cum, nextTsn);
        long highestNewlyAcked = -1;
        SctpGapScoreboard.Ranges added = scoreboard.added();
        for (int i = 0; i < added.count(); i++) {
            for (long t = added.start(i); t <= added.end(i); t++) {
                SctpOutChunk c = outstanding.get(t);
                chunkVisits++;
                c.acked = true;
                c.msg.ackedChunks++;
                if (!c.abandoned) {
                    newlyAcked += c.size;
                    highestNewlyAcked = c.tsn;
                    unackedLive--;
                }
                release(c);
            }
        }
        SctpGapScoreboard.Ranges removed = scoreboard.removed();
        for (int i = 0; i < removed.count(); i++) {
            for (long t = removed.start(i); t <= removed.end(i); t++) {
                SctpOutChunk c = outstanding.get(t);
                chunkVisits++;
                c.acked = false; // reneged (§6.2.1): unacknowledged again, T3 will resend it
                c.msg.ackedChunks--;
                c.missReports = 0;
                if (!c.abandoned) {
                    unackedLive++;
                }
            }
        }
        boolean marked = highestNewlyAcked >= 0 && missIndications(highestNewlyAcked);
        marked |= highestNewlyAcked >= 0 && lostRetransmissions(highestNewlyAcked);
        congestion.onSack(cumAck, advanced, newlyAcked, flightBefore, marked, nextTsn);
        fastRetransmitNow |= marked; // §7.2.4: the first fast-retransmit packet ignores cwnd
        peerRwnd = Math.max(0, s.aRwnd() - flight);
        updateAdvancedPeerAckPoint();
        if (outstandingUnacked()) {
            if (advanced) {
                armT3(now, true);
            }
        } else {
            t3 = null;
            congestion.allAcked();
        }
        return advanced;
    }

    /**
     * §7.2.4 miss indications (HTNA): each chunk still missing below the highest newly acked TSN counts one; the
     * third marks it for fast retransmit. Walks only the holes between gap-acked ranges and skips chunks that can
     * never count again. Returns true when a chunk was marked.
     */
    private boolean missIndications(long highestNewlyAcked) {
        boolean marked = false;
        SctpGapScoreboard.Ranges acked = scoreboard.acked();
        int r = 0;
        long t = cumAck + 1;
        while (t < highestNewlyAcked) {
            chunkVisits++; // one step of this walk, whether it touches a chunk or jumps
            while (r < acked.count() && acked.end(r) < t) {
                r++;
            }
            if (r < acked.count() && acked.start(r) <= t) {
                t = acked.end(r) + 1; // gap-acked: jump over the range
                continue;
            }
            long m = nextMissable(t);
            if (m != t) {
                t = m; // skipped chunks that can never count again; look at the ranges from there
                continue;
            }
            SctpOutChunk c = outstanding.get(t);
            if (!c.retransmit && c.inFlight && ++c.missReports >= 3) {
                c.fastRetransmitted = true;
                c.retransmit = true;
                retransmitCount++;
                fastRetransmitTotal++;
                rtxLow = Math.min(rtxLow, c.tsn);
                c.inFlight = false;
                flight -= c.size;
                marked = true;
                if (c.tsn == rttTsn) {
                    rttTsn = -1;
                }
            }
            t++;
        }
        return marked;
    }

    /** Marks again the fast retransmissions {@link SctpResentWatch} finds lost; true if any. */
    private boolean lostRetransmissions(long highestNewlyAcked) {
        boolean[] marked = {false};
        chunkVisits += resent.lost(highestNewlyAcked, cumAck, c -> {
            c.retransmit = true;
            retransmitCount++;
            rtxLow = Math.min(rtxLow, c.tsn);
            c.inFlight = false;
            flight -= c.size;
            marked[0] = true;
        });
        return marked[0];
    }

    /** Fast retransmissions found lost and sent again without waiting for T3 (see lostRetransmissions). */
    long lostRetransmissions() {
        return resent.lostCount();
    }

    /** Chunks marked for fast retransmit after three miss indications (§7.2.4), so far. */
    long fastRetransmits() {
        return fastRetransmitTotal;
    }

    /** T3-rtx expirations (§6.3.3), so far. */
    long t3Expirations() {
        return t3Expirations;
    }

    /** DATA chunks sent and not yet cumulatively acknowledged. */
    int unacknowledgedChunks() {
        return outstanding.size();
    }

    /**
     * The first TSN at or after {@code tsn} whose chunk may still get a miss indication, or {@link #nextTsn}.
     * Fast-retransmitted and abandoned chunks never do again (both flags are final), so they are skipped through
     * union-find links with path compression: amortized O(1) per call however many dead chunks sit in the holes.
     */
    private long nextMissable(long tsn) {
        long t = tsn;
        while (t < nextTsn) {
            SctpOutChunk c = outstanding.get(t);
            chunkVisits++;
            if (!c.fastRetransmitted && !c.abandoned) {
                break;
            }
            t = c.skip;
        }
        for (long x = tsn; x < t; ) {
            SctpOutChunk c = outstanding.get(x);
            chunkVisits++;
            x = c.skip;
            c.skip = t;
        }
        return t;
    }

    private void release(SctpOutChunk c) {
        if (c.inFlight) {
            c.inFlight = false;
            flight -= c.size;
        }
        if (c.retransmit) {
            c.retransmit = false;
            retransmitCount--;
        }
    }

    private boolean outstandingUnacked() {
        return advancedPeerAckPoint > cumAck || unackedLive > 0;
    }

    private void armT3(Instant now, boolean restart) {
        if (restart || (t3 == null && (flight > 0 || retransmitCount > 0 || advancedPeerAckPoint > cumAck))) {
            t3 = now.plusNanos(rto.rtoNanos());
        }
    }

    Instant t3Deadline() {
        return t3;
    }

    /** T3-rtx expired (§6.3.3): back off, collapse cwnd, mark everything unacked for retransmission. */
    void onT3Expired(Instant now) {
        t3Expirations++;
        t3 = null;
        rto.backOff();
        congestion.onT3Expired();
        rttTsn = -1;
        List<SctpOutMessage> expired = new ArrayList<>();
        rtxLow = cumAck + 1;
        for (long t = outstanding.headTsn(); t < outstanding.endTsn(); t++) {
            SctpOutChunk c = outstanding.get(t);
            chunkVisits++;
            if (c.acked || c.abandoned) {
                continue;
            }
            if (c.inFlight) {
                c.inFlight = false;
                flight -= c.size;
            }
            if (!c.retransmit) {
                c.retransmit = true;
                retransmitCount++;
            }
            if (shouldAbandon(c, now)) {
                expired.add(c.msg);
            }
        }
        expired.forEach(this::abandon);
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnNeeded = true;
        }
        armT3(now, true);
        if (!outstandingUnacked()) {
            t3 = null;
        }
    }

    // ---- PR-SCTP ------------------------------------------------------------------------------------------

    private void updateAdvancedPeerAckPoint() {
        if (advancedPeerAckPoint < cumAck) {
            advancedPeerAckPoint = cumAck;
        }
        // RFC 3758 §3.5 C1 moves over abandoned chunks; we also move over chunks of messages the peer holds
        // whole (all fragments gap-acked): they are already reassembled there, so skipping their TSNs loses
        // nothing and one FORWARD-TSN covers a run of holes instead of one round trip per hole.
        while (outstanding.contains(advancedPeerAckPoint + 1)) {
            SctpOutChunk c = outstanding.get(advancedPeerAckPoint + 1);
            chunkVisits++;
            if (!c.abandoned && !(c.acked && wholeMessageAcked(c.msg))) {
                break;
            }
            advancedPeerAckPoint = c.tsn;
        }
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnNeeded = true;
        }
    }

    private static boolean wholeMessageAcked(SctpOutMessage m) {
        return m.offset == m.data.length && m.ackedChunks == m.chunks.size();
    }

    /** The FORWARD-TSN to send now (RFC 3758 §3.5 C), or null. */
    ForwardTsn takeForwardTsn() {
        if (!forwardTsnNeeded || advancedPeerAckPoint <= cumAck) {
            forwardTsnNeeded = false;
            return null;
        }
        forwardTsnNeeded = false;
        return forwardTsnStreams.build(cumAck, advancedPeerAckPoint, outstanding);
    }

    /** RFC 6525 §5.2.7: after a performed reset our SSNs on these streams start at 0. */
    void resetStreams(List<Integer> ids) {
        queue.resetStreams(ids);
    }

    @Override
    public String toString() {
        return "SctpSender[cwnd=" + congestion.cwnd() + " ssthresh=" + congestion.ssthresh() + " flight=" + flight
                + " rwnd=" + peerRwnd + " outstanding=" + outstanding.size() + " queued=" + queue.size()
                + " rtx=" + retransmitCount + " cum=" + cumAck + " next=" + nextTsn + " adv=" + advancedPeerAckPoint
                + " t3=" + t3 + " rto=" + rto.rto() + "]";
    }

    long chunkVisits() {
        return chunkVisits + forwardTsnStreams.visits;
    }

    long cwnd() {
        return congestion.cwnd();
    }

    long flight() {
        return flight;
    }

    long peerRwnd() {
        return peerRwnd;
    }

    long ssthresh() {
        return congestion.ssthresh();
    }
}
