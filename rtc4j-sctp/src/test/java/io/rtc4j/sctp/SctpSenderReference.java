package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import io.rtc4j.sctp.SctpChunk.SkippedStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Test oracle: {@link SctpSender} as it was before SACK processing became incremental (commit c7db102), walking
 * the outstanding chunks from the head on every SACK, retransmission scan and PR-SCTP check. Straightforward and
 * O(window) per SACK; the differential tests require the production sender to behave exactly like it.
 */
final class SctpSenderReference {
    private final int mtu;
    private final int maxChunkPayload;
    private final long maxQueueBytes;
    private final SctpRto rto;
    private boolean partialReliability;
    private final IntConsumer bufferedAmountLow;

    private long cwnd;
    private long ssthresh;
    private long partialBytesAcked;
    private long flight;
    private long peerRwnd;
    private boolean fastRecovery;
    private long recoveryExit;
    private boolean fastRetransmitNow;
    private long nextTsn;
    private long cumAck;
    private long advancedPeerAckPoint;
    private boolean forwardTsnNeeded;
    private int retransmitCount;
    private long rttTsn = -1;
    private Instant rttSentAt;
    private Instant t3;
    private long queuedBytes;
    private final ArrayDeque<OutChunk> outstanding = new ArrayDeque<>();
    private final ArrayDeque<OutMessage> queue = new ArrayDeque<>();
    private final Map<Integer, OutStream> streams = new HashMap<>();

    private static final class OutStream {
        int nextSsn;
        long buffered;
        long lowThreshold;
    }

    private static final class OutMessage {
        final int stream;
        final int ppid;
        final byte[] data;
        final boolean unordered;
        final int maxRetransmits;
        final Instant expiry;
        final List<OutChunk> chunks = new ArrayList<>(1);
        int offset;
        int ssn = -1;
        boolean abandoned;

        OutMessage(int stream, int ppid, byte[] data, SctpSendOptions o, Instant now) {
            this.stream = stream;
            this.ppid = ppid;
            this.data = data;
            this.unordered = o.unordered();
            this.maxRetransmits = o.maxRetransmits();
            this.expiry = o.lifetime() == null ? null : now.plus(o.lifetime());
        }
    }

    private static final class OutChunk {
        final long tsn;
        final Data chunk;
        final OutMessage msg;
        final int size;
        Instant sentAt;
        int transmissions;
        int missReports;
        boolean acked;
        boolean inFlight;
        boolean retransmit;
        boolean fastRetransmitted;
        long resentBefore = -1;
        boolean abandoned;

        OutChunk(long tsn, Data chunk, OutMessage msg) {
            this.tsn = tsn;
            this.chunk = chunk;
            this.msg = msg;
            this.size = SctpCodec.padded(SctpCodec.DATA_HEADER + chunk.payload().length);
        }
    }

    SctpSenderReference(SctpConfig config, SctpRto rto, IntConsumer bufferedAmountLow) {
        this.mtu = config.mtu();
        this.maxChunkPayload = (config.mtu() - SctpCodec.COMMON_HEADER - SctpCodec.DATA_HEADER) & ~3;
        this.maxQueueBytes = config.maxSendQueueBytes();
        this.rto = rto;
        this.bufferedAmountLow = bufferedAmountLow;
        // RFC 9260 §7.2.1: initial cwnd = min(4*MTU, max(2*MTU, 4404))
        this.cwnd = Math.min(4L * mtu, Math.max(2L * mtu, 4404));
    }

    /** Called once the association is up. */
    void start(int initialTsn, long peerAdvertisedRwnd, boolean peerSupportsForwardTsn) {
        partialReliability = peerSupportsForwardTsn; // without FORWARD-TSN a sent chunk can never be skipped
        nextTsn = initialTsn & 0xFFFF_FFFFL;
        cumAck = nextTsn - 1;
        advancedPeerAckPoint = cumAck;
        peerRwnd = peerAdvertisedRwnd;
        ssthresh = Math.max(peerAdvertisedRwnd, 4L * mtu); // §7.2.1: may be arbitrarily high
    }

    // ---- sending ------------------------------------------------------------------------------------------

    void enqueue(int stream, int ppid, byte[] data, SctpSendOptions options, Instant now) {
        if (queuedBytes + data.length > maxQueueBytes) {
            throw new IllegalStateException("send queue full: " + queuedBytes + " bytes queued");
        }
        queue.add(new OutMessage(stream, ppid, data, options, now));
        streams.computeIfAbsent(stream, k -> new OutStream()).buffered += data.length;
        queuedBytes += data.length;
    }

    long bufferedAmount(int stream) {
        OutStream s = streams.get(stream);
        return s == null ? 0 : s.buffered;
    }

    void setLowThreshold(int stream, long bytes) {
        streams.computeIfAbsent(stream, k -> new OutStream()).lowThreshold = bytes;
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
        return retransmitCount > 0 || (!queue.isEmpty() && (flight < cwnd && (peerRwnd > 0 || flight == 0)));
    }

    /** Adds DATA chunks to one packet with {@code room} bytes left, retransmissions first; returns bytes used. */
    int fill(Instant now, List<SctpChunk> out, int room) {
        int used = 0;
        if (retransmitCount > 0) {
            for (OutChunk c : outstanding) {
                if (retransmitCount == 0) {
                    break;
                }
                if (!c.retransmit) {
                    continue;
                }
                if (c.size > room - used) {
                    break;
                }
                // §7.2.4: the first fast-retransmit packet ignores cwnd; otherwise cwnd rules (§6.1 B)
                if (!fastRetransmitNow && flight >= cwnd) {
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
                    c.resentBefore = nextTsn;
                }
                if (c.tsn == rttTsn) {
                    rttTsn = -1; // Karn: never time a retransmitted chunk
                }
                out.add(c.chunk);
                used += c.size;
            }
            fastRetransmitNow = false;
            if (retransmitCount > 0) {
                armT3(now, false);
                return used;
            }
        }
        while (!queue.isEmpty()) {
            OutMessage m = queue.peek();
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
            if (flight >= cwnd) {
                break;
            }
            if (peerRwnd < size && flight > 0) {
                break; // §6.1 A; with nothing in flight one chunk probes a zero window
            }
            OutStream st = streams.get(m.stream);
            if (m.ssn < 0) {
                m.ssn = m.unordered ? 0 : st.nextSsn;
                if (!m.unordered) {
                    st.nextSsn = (st.nextSsn + 1) & 0xFFFF;
                }
            }
            long tsn = nextTsn++;
            byte[] payload = (m.offset == 0 && n == m.data.length)
                    ? m.data
                    : Arrays.copyOfRange(m.data, m.offset, m.offset + n);
            Data d = new Data(m.unordered, m.offset == 0, m.offset + n == m.data.length, false, (int) tsn,
                    m.stream, m.ssn, m.ppid, payload);
            OutChunk c = new OutChunk(tsn, d, m);
            c.transmissions = 1;
            c.sentAt = now;
            c.inFlight = true;
            flight += c.size;
            peerRwnd = Math.max(0, peerRwnd - c.size);
            outstanding.add(c);
            m.chunks.add(c);
            m.offset += n;
            if (m.offset == m.data.length) {
                queue.poll();
            }
            drained(st, m.stream, n);
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

    private void drained(OutStream st, int stream, long n) {
        long before = st.buffered;
        st.buffered -= n;
        queuedBytes -= n;
        if (before > st.lowThreshold && st.buffered <= st.lowThreshold) {
            bufferedAmountLow.accept(stream);
        }
    }

    private boolean shouldAbandon(OutChunk c, Instant now) {
        if (!partialReliability || c.msg.abandoned) {
            return c.msg.abandoned;
        }
        OutMessage m = c.msg;
        return (m.maxRetransmits >= 0 && c.transmissions > m.maxRetransmits)
                || (m.expiry != null && !now.isBefore(m.expiry));
    }

    /** RFC 3758 §3.5: the whole message goes; its sent chunks are skipped by FORWARD-TSN. */
    private void abandon(OutMessage m) {
        m.abandoned = true;
        for (OutChunk c : m.chunks) {
            if (c.acked || c.abandoned) {
                continue;
            }
            c.abandoned = true;
            if (c.inFlight) {
                c.inFlight = false;
                flight -= c.size;
            }
            if (c.retransmit) {
                c.retransmit = false;
                retransmitCount--;
            }
        }
        if (m.offset < m.data.length) {
            queue.remove(m);
            int rest = m.data.length - m.offset;
            m.offset = m.data.length;
            drained(streams.get(m.stream), m.stream, rest);
        }
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
        while (!outstanding.isEmpty() && outstanding.peek().tsn <= cum) {
            OutChunk c = outstanding.poll();
            if (!c.acked && !c.abandoned) {
                newlyAcked += c.size;
            }
            release(c);
            if (c.tsn == rttTsn) {
                rto.measured(Duration.between(rttSentAt, now).toNanos());
                rttTsn = -1;
            }
        }
        cumAck = Math.max(cumAck, cum);
        // Gap blocks: mark acked; unmark chunks the peer no longer reports (it may renege, §6.2.1).
        long highestNewlyAcked = -1;
        List<GapBlock> gaps = s.gapBlocks();
        int gi = 0;
        long lastReported = gaps.isEmpty() ? 0 : gaps.get(gaps.size() - 1).end();
        for (OutChunk c : outstanding) {
            long off = c.tsn - cum;
            if (off > lastReported) {
                break; // nothing beyond the last gap block changes: SACK cost stays O(acked), not O(window)
            }
            while (gi < gaps.size() && gaps.get(gi).end() < off) {
                gi++;
            }
            boolean inGap = gi < gaps.size() && gaps.get(gi).start() <= off && off <= gaps.get(gi).end();
            if (inGap && !c.acked) {
                c.acked = true;
                if (!c.abandoned) {
                    newlyAcked += c.size;
                    highestNewlyAcked = c.tsn;
                }
                release(c);
            } else if (!inGap && c.acked && off < lastReported) {
                c.acked = false; // reneged (§6.2.1): unacknowledged again, T3 will resend it
                c.missReports = 0;
            }
        }
        // §7.2.4 miss indications (HTNA): chunks below the highest newly acked TSN that are still missing.
        boolean marked = false;
        if (highestNewlyAcked >= 0) {
            for (OutChunk c : outstanding) {
                if (c.tsn >= highestNewlyAcked) {
                    break;
                }
                if (c.acked || c.abandoned || c.retransmit || c.fastRetransmitted || !c.inFlight) {
                    continue;
                }
                if (++c.missReports >= 3) {
                    c.fastRetransmitted = true;
                    c.retransmit = true;
                    retransmitCount++;
                    c.inFlight = false;
                    flight -= c.size;
                    marked = true;
                    if (c.tsn == rttTsn) {
                        rttTsn = -1;
                    }
                }
            }
        }
        // a fast retransmission lost again: three chunks first sent after it are acked, it is still missing
        if (highestNewlyAcked >= 0) {
            for (OutChunk c : outstanding) {
                if (c.fastRetransmitted && c.resentBefore >= 0 && !c.acked && !c.abandoned && !c.retransmit && c.inFlight
                        && highestNewlyAcked >= c.resentBefore + 2) {
                    c.retransmit = true;
                    retransmitCount++;
                    c.inFlight = false;
                    flight -= c.size;
                    marked = true;
                }
            }
        }
        if (fastRecovery && cumAck >= recoveryExit) {
            fastRecovery = false;
        }
        if (marked) {
            if (!fastRecovery) {
                // §7.2.3, §7.2.4: one reduction per window
                ssthresh = Math.max(cwnd / 2, 4L * mtu);
                cwnd = ssthresh;
                partialBytesAcked = 0;
                fastRecovery = true;
                recoveryExit = nextTsn - 1;
            }
            fastRetransmitNow = true;
        }
        if (advanced && !fastRecovery && newlyAcked > 0) {
            if (cwnd <= ssthresh) {
                // §7.2.1 slow start with byte counting, only while cwnd was fully used, at most one MTU per SACK.
                // (L = 2, RFC 3465 §2.3, fills a long path sooner, but its doubling per round trip overshoots a
                // BDP-sized bottleneck queue by a window: measured in SctpBench, 200 ms goodput fell 57 -> 15 Mbit/s.)
                if (flightBefore + mtu >= cwnd) {
                    cwnd += Math.min(newlyAcked, mtu);
                }
            } else {
                // §7.2.2 congestion avoidance: one MTU per cwnd of acknowledged bytes
                partialBytesAcked += newlyAcked;
                if (partialBytesAcked >= cwnd && flightBefore + mtu >= cwnd) {
                    partialBytesAcked -= cwnd;
                    cwnd += mtu;
                }
            }
        }
        peerRwnd = Math.max(0, s.aRwnd() - flight);
        updateAdvancedPeerAckPoint();
        if (outstandingUnacked()) {
            if (advanced) {
                armT3(now, true);
            }
        } else {
            t3 = null;
            partialBytesAcked = 0;
        }
        return advanced;
    }

    private void release(OutChunk c) {
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
        if (advancedPeerAckPoint > cumAck) {
            return true;
        }
        for (OutChunk c : outstanding) {
            if (!c.acked && !c.abandoned) {
                return true;
            }
        }
        return false;
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
        t3 = null;
        rto.backOff();
        ssthresh = Math.max(cwnd / 2, 4L * mtu);
        cwnd = mtu;
        partialBytesAcked = 0;
        fastRecovery = false;
        rttTsn = -1;
        List<OutMessage> expired = new ArrayList<>();
        for (OutChunk c : outstanding) {
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
        for (OutChunk c : outstanding) {
            if (c.tsn <= advancedPeerAckPoint) {
                continue;
            }
            // RFC 3758 §3.5 C1 moves over abandoned chunks; we also move over chunks of messages the peer holds
            // whole (all fragments gap-acked): they are already reassembled there, so skipping their TSNs loses
            // nothing and one FORWARD-TSN covers a run of holes instead of one round trip per hole.
            if (c.tsn == advancedPeerAckPoint + 1 && (c.abandoned || (c.acked && wholeMessageAcked(c.msg)))) {
                advancedPeerAckPoint = c.tsn;
            } else {
                break;
            }
        }
        if (advancedPeerAckPoint > cumAck) {
            forwardTsnNeeded = true;
        }
    }

    private static boolean wholeMessageAcked(OutMessage m) {
        if (m.offset < m.data.length) {
            return false;
        }
        for (OutChunk c : m.chunks) {
            if (!c.acked) {
                return false;
            }
        }
        return true;
    }

    /** The FORWARD-TSN to send now (RFC 3758 §3.5 C), or null. */
    ForwardTsn takeForwardTsn() {
        if (!forwardTsnNeeded || advancedPeerAckPoint <= cumAck) {
            forwardTsnNeeded = false;
            return null;
        }
        forwardTsnNeeded = false;
        Map<Integer, Integer> last = new LinkedHashMap<>();
        for (OutChunk c : outstanding) {
            if (c.tsn > advancedPeerAckPoint) {
                break;
            }
            if (c.abandoned && !c.chunk.unordered()) {
                last.put(c.chunk.streamId(), c.chunk.ssn());
            }
        }
        List<SkippedStream> s = new ArrayList<>(last.size());
        last.forEach((id, ssn) -> s.add(new SkippedStream(id, ssn)));
        return new ForwardTsn((int) advancedPeerAckPoint, s);
    }

    /** RFC 6525 §5.2.7: after a performed reset our SSNs on these streams start at 0. */
    void resetStreams(List<Integer> ids) {
        for (int id : ids) {
            OutStream s = streams.get(id);
            if (s != null) {
                s.nextSsn = 0;
            }
        }
    }

    @Override
    public String toString() {
        return "SctpSender[cwnd=" + cwnd + " ssthresh=" + ssthresh + " flight=" + flight + " rwnd=" + peerRwnd
                + " outstanding=" + outstanding.size() + " queued=" + queue.size() + " rtx=" + retransmitCount
                + " cum=" + cumAck + " next=" + nextTsn + " adv=" + advancedPeerAckPoint + " t3=" + t3
                + " rto=" + rto.rto() + "]";
    }

    long cwnd() {
        return cwnd;
    }

    long flight() {
        return flight;
    }

    long peerRwnd() {
        return peerRwnd;
    }

    long ssthresh() {
        return ssthresh;
    }
}
