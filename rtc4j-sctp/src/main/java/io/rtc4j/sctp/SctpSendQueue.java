package io.rtc4j.sctp;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The sender's queue of messages not yet (fully) sent, with per-stream buffered amounts, low-threshold events
 * (RTCDataChannel bufferedamountlow) and outgoing SSNs (RFC 9260 §6.5, reset by RFC 6525 §5.2.7).
 */
final class SctpSendQueue {
    private final long maxQueueBytes;
    private final IntConsumer bufferedAmountLow;
    private final ArrayDeque<SctpOutMessage> queue = new ArrayDeque<>();
    private final Map<Integer, OutStream> streams = new HashMap<>();
    private long queuedBytes;

    private static final class OutStream {
        int nextSsn;
        long buffered;
        long lowThreshold;
    }

    SctpSendQueue(long maxQueueBytes, IntConsumer bufferedAmountLow) {
        this.maxQueueBytes = maxQueueBytes;
        this.bufferedAmountLow = bufferedAmountLow;
    }

    void enqueue(int stream, int ppid, byte[] data, SctpSendOptions options, Instant now) {
        if (queuedBytes + data.length > maxQueueBytes) {
            throw new IllegalStateException("send queue full: " + queuedBytes + " bytes queued");
        }
        queue.add(new SctpOutMessage(stream, ppid, data, options, now));
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

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    /** The next message to (continue to) send, or null. */
    SctpOutMessage peek() {
        return queue.peek();
    }

    /** Gives the message its SSN when its first fragment goes out (unordered messages carry 0). */
    void assignSsn(SctpOutMessage m) {
        if (m.ssn < 0) {
            OutStream st = streams.get(m.stream);
            m.ssn = m.unordered ? 0 : st.nextSsn;
            if (!m.unordered) {
                st.nextSsn = (st.nextSsn + 1) & 0xFFFF;
            }
        }
    }

    /** {@code n} more bytes of the head message went out. */
    void sent(SctpOutMessage m, int n) {
        m.offset += n;
        if (m.offset == m.data.length) {
            queue.poll();
        }
        drained(m.stream, n);
    }

    /** The message was abandoned (RFC 3758 §3.5): its unsent rest never goes. */
    void discardRest(SctpOutMessage m) {
        if (m.offset < m.data.length) {
            queue.remove(m);
            int rest = m.data.length - m.offset;
            m.offset = m.data.length;
            drained(m.stream, rest);
        }
    }

    private void drained(int stream, long n) {
        OutStream st = streams.get(stream);
        long before = st.buffered;
        st.buffered -= n;
        queuedBytes -= n;
        if (before > st.lowThreshold && st.buffered <= st.lowThreshold) {
            bufferedAmountLow.accept(stream);
        }
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
}
