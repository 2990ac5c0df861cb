package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import io.rtc4j.sctp.SctpChunk.SkippedStream;
import io.rtc4j.sctp.SctpEvent.MessageReceived;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The data receiver: TSN tracking with gap blocks and duplicates (RFC 9260 §6.2), reassembly (§6.9), ordered
 * delivery by SSN (§6.6), FORWARD-TSN (RFC 3758 §3.6). Memory is bounded by the receive window: fragments and
 * messages waiting for order count against it and data beyond it is dropped unacknowledged.
 */
final class SctpReceiver {
    /** As many gap blocks as fit a packet: truncated reports after a burst loss (measured on a 100 ms path with
     * 128) delay loss detection past fast recovery and cost a second window reduction. */
    static final int MAX_GAP_BLOCKS = 1024;
    static final int MAX_DUPLICATES = 32;

    private final long capacity;
    private final int maxMessageSize;
    private final Consumer<MessageReceived> deliver;
    private long cumTsn;
    private final TreeSet<Long> above = new TreeSet<>();
    private final TreeMap<Long, Data> fragments = new TreeMap<>();
    private final List<Integer> duplicates = new ArrayList<>();
    private final Map<Integer, InStream> streams = new HashMap<>();
    private long buffered;
    private boolean violation;

    private static final class InStream {
        int nextSsn; // unwrapped, starts at 0
        final TreeMap<Integer, MessageReceived> pending = new TreeMap<>();
    }

    private final int maxSackBytes;

    SctpReceiver(int peerInitialTsn, long capacity, int maxMessageSize, int mtu, Consumer<MessageReceived> deliver) {
        this.maxSackBytes = mtu - SctpCodec.COMMON_HEADER;
        this.cumTsn = (peerInitialTsn & 0xFFFF_FFFFL) - 1;
        this.capacity = capacity;
        this.maxMessageSize = maxMessageSize;
        this.deliver = deliver;
    }

    enum Result { NEW, DUPLICATE, NO_ROOM }

    long unwrap(int tsn) {
        return cumTsn + (int) (tsn - (int) cumTsn);
    }

    long cumTsn() {
        return cumTsn;
    }

    boolean hasGaps() {
        return !above.isEmpty();
    }

    /** True once the peer sent a message larger than our max-message-size (the caller aborts). */
    boolean violation() {
        return violation;
    }

    long window() {
        return Math.max(0, capacity - buffered);
    }

    Result onData(Data d, boolean validStream) {
        long t = unwrap(d.tsn());
        if (t <= cumTsn || above.contains(t)) {
            if (duplicates.size() < MAX_DUPLICATES) {
                duplicates.add(d.tsn());
            }
            return Result.DUPLICATE;
        }
        int len = d.payload().length;
        // RFC 9260 §6.2: beyond the window, drop; the chunk right after the cumulative TSN is always taken so
        // that reassembly can finish (the window is at least one max-size message).
        if (buffered + len > capacity && (t != cumTsn + 1 || buffered + len > capacity + maxMessageSize)) {
            return Result.NO_ROOM;
        }
        above.add(t);
        if (validStream) {
            fragments.put(t, d);
            buffered += len;
        }
        while (!above.isEmpty() && above.first() == cumTsn + 1) {
            above.pollFirst();
            cumTsn++;
        }
        if (validStream) {
            reassemble(t, d);
        }
        return Result.NEW;
    }

    /** Assembles the message containing TSN t if all its fragments are here (E first, then back to B). */
    private void reassemble(long t, Data d) {
        long end = t;
        Data e = d;
        while (!e.ending()) {
            Data n = fragments.get(end + 1);
            if (n == null || !sameMessage(e, n) || n.beginning()) {
                return;
            }
            end++;
            e = n;
        }
        long start = t;
        Data s = d;
        while (!s.beginning()) {
            Data p = fragments.get(start - 1);
            if (p == null || !sameMessage(s, p) || p.ending()) {
                return;
            }
            start--;
            s = p;
            if (end - start > maxMessageSize) {
                break;
            }
        }
        long size = 0;
        for (long i = start; i <= end; i++) {
            size += fragments.get(i).payload().length;
        }
        if (size > maxMessageSize) {
            violation = true; // RFC 8841 §6.1: the peer must not send more than our max-message-size
            return;
        }
        byte[] msg = new byte[(int) size];
        int off = 0;
        for (long i = start; i <= end; i++) {
            byte[] p = fragments.remove(i).payload();
            System.arraycopy(p, 0, msg, off, p.length);
            off += p.length;
        }
        MessageReceived m = new MessageReceived(s.streamId(), s.ppid(), msg, s.unordered());
        if (s.unordered()) {
            buffered -= size;
            deliver.accept(m);
            return;
        }
        InStream st = streams.computeIfAbsent(s.streamId(), k -> new InStream());
        int ssn = st.nextSsn + (short) (s.ssn() - st.nextSsn);
        if (ssn < st.nextSsn || st.pending.containsKey(ssn)) {
            buffered -= size; // stale: skipped by FORWARD-TSN already
            return;
        }
        st.pending.put(ssn, m);
        drain(st);
    }

    private static boolean sameMessage(Data a, Data b) {
        return a.streamId() == b.streamId() && a.unordered() == b.unordered()
                && (a.unordered() || a.ssn() == b.ssn());
    }

    private void drain(InStream st) {
        MessageReceived m;
        while ((m = st.pending.remove(st.nextSsn)) != null) {
            st.nextSsn++;
            buffered -= m.data().length;
            deliver.accept(m);
        }
    }

    /** RFC 3758 §3.6: move the cumulative TSN, drop partial messages up to it, skip SSNs. */
    void onForwardTsn(int newCum, List<SkippedStream> skipped) {
        long n = unwrap(newCum);
        if (n > cumTsn) {
            Iterator<Map.Entry<Long, Data>> it = fragments.headMap(n, true).entrySet().iterator();
            while (it.hasNext()) {
                buffered -= it.next().getValue().payload().length;
                it.remove();
            }
            above.headSet(n, true).clear();
            cumTsn = n;
            while (!above.isEmpty() && above.first() == cumTsn + 1) {
                above.pollFirst();
                cumTsn++;
            }
        }
        for (SkippedStream s : skipped) {
            InStream st = streams.computeIfAbsent(s.streamId(), k -> new InStream());
            int ssn = st.nextSsn + (short) (s.ssn() - st.nextSsn);
            if (ssn < st.nextSsn) {
                continue;
            }
            // Deliver what is complete up to the skipped SSN, then move past it.
            while (st.nextSsn <= ssn) {
                MessageReceived m = st.pending.remove(st.nextSsn);
                if (m != null) {
                    buffered -= m.data().length;
                    deliver.accept(m);
                }
                st.nextSsn++;
            }
            drain(st);
        }
    }

    /** RFC 6525 §5.2.2: the peer's SSNs on these streams start again at 0. */
    void resetStreams(List<Integer> ids) {
        for (int id : ids) {
            InStream st = streams.remove(id);
            if (st != null) {
                for (MessageReceived m : st.pending.values()) {
                    buffered -= m.data().length;
                }
            }
        }
    }

    /** The SACK describing what we hold now; clears the duplicate list. */
    Sack sack() {
        int maxGaps = Math.min(MAX_GAP_BLOCKS, (maxSackBytes - 16 - 4 * duplicates.size()) / 4);
        List<GapBlock> gaps = new ArrayList<>();
        long runStart = -1;
        long prev = -1;
        for (long t : above) {
            if (t - cumTsn > 0xFFFF || gaps.size() >= maxGaps) {
                break;
            }
            if (runStart < 0) {
                runStart = t;
            } else if (t != prev + 1) {
                gaps.add(new GapBlock((int) (runStart - cumTsn), (int) (prev - cumTsn)));
                runStart = t;
            }
            prev = t;
        }
        if (runStart >= 0 && gaps.size() < maxGaps) {
            gaps.add(new GapBlock((int) (runStart - cumTsn), (int) (prev - cumTsn)));
        }
        Sack s = new Sack((int) cumTsn, window(), gaps, duplicates);
        duplicates.clear();
        return s;
    }

    boolean hasDuplicates() {
        return !duplicates.isEmpty();
    }
}
