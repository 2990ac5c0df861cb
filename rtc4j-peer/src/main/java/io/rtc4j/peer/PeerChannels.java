package io.rtc4j.peer;

import io.rtc4j.sctp.datachannel.DataChannel;
import io.rtc4j.sctp.datachannel.DataChannelEndpoint;
import io.rtc4j.sctp.datachannel.DataChannelEvent;
import io.rtc4j.sctp.datachannel.DataChannelInit;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The connection's data channels by handle: a channel exists from {@code createDataChannel}, before SCTP does
 * (its stream id then depends on the DTLS role, RFC 8832 §6), so the application holds a handle and this table
 * maps it to the stream id once the {@link DataChannelEndpoint} is there. Counts messages and bytes per
 * channel. Part of {@link PeerCore}: not thread-safe.
 */
final class PeerChannels {
    private static final class Entry {
        final int handle;
        final String label;
        final RtcDataChannelInit init;
        Integer id;
        RtcDataChannelState state = RtcDataChannelState.CONNECTING;
        long lowThreshold;
        long messagesSent, bytesSent, messagesReceived, bytesReceived;

        Entry(int handle, String label, RtcDataChannelInit init, Integer id) {
            this.handle = handle;
            this.label = label;
            this.init = init;
            this.id = id;
        }
    }

    /** Closed channels kept for getStats; older ones are forgotten (bounded memory under channel churn). */
    static final int CLOSED_KEPT = 256;

    private final Map<Integer, Entry> byHandle = new LinkedHashMap<>();
    private int closedKept;
    private final Map<Integer, Entry> byId = new HashMap<>();
    private DataChannelEndpoint sctp;
    private boolean established;
    private int nextHandle = 1;
    private long dropped;

    /** W3C createDataChannel: the channel is CONNECTING until SCTP is up and, in-band, the peer acknowledged. */
    int create(Instant now, String label, RtcDataChannelInit init) {
        if (label.getBytes(StandardCharsets.UTF_8).length > 65535) {
            throw new IllegalArgumentException("label longer than 65535 bytes");
        }
        if (init.negotiated() && byId.containsKey(init.id())) {
            throw new IllegalArgumentException("stream id " + init.id() + " is in use (W3C OperationError)");
        }
        Entry e = new Entry(nextHandle++, label, init, init.id());
        byHandle.put(e.handle, e);
        if (e.id != null) {
            byId.put(e.id, e);
        }
        if (sctp != null) {
            attach(now, e);
        }
        return e.handle;
    }

    /** SCTP exists now (DTLS role known): channels created so far get their stream ids. */
    void attach(Instant now, DataChannelEndpoint endpoint) {
        this.sctp = endpoint;
        for (Entry e : List.copyOf(byHandle.values())) {
            if (e.state == RtcDataChannelState.CONNECTING) {
                attach(now, e);
            }
        }
    }

    private void attach(Instant now, Entry e) {
        RtcDataChannelInit i = e.init;
        DataChannel info = sctp.createDataChannel(now, e.label,
                new DataChannelInit(i.ordered(), i.maxRetransmits(), i.maxPacketLifeTime(), i.protocol(), i.negotiated(), i.id()));
        e.id = info.id();
        byId.put(e.id, e);
    }

    void send(Instant now, int handle, boolean binary, byte[] data) {
        Entry e = byHandle.get(handle);
        if (e == null || e.state != RtcDataChannelState.OPEN || sctp == null) {
            throw new IllegalStateException("the data channel is not open (W3C InvalidStateError)");
        }
        if (binary) {
            sctp.send(now, e.id, data);
        } else {
            sctp.send(now, e.id, new String(data, StandardCharsets.UTF_8));
        }
        e.messagesSent++;
        e.bytesSent += data.length;
    }

    void close(Instant now, int handle, Consumer<PeerEvent> emit) {
        Entry e = byHandle.get(handle);
        if (e == null || e.state == RtcDataChannelState.CLOSING || e.state == RtcDataChannelState.CLOSED) {
            return;
        }
        if (e.id == null || sctp == null || !established) {
            closed(e, emit); // never reached the wire: closes at once
            return;
        }
        e.state = RtcDataChannelState.CLOSING;
        sctp.close(now, e.id); // RFC 8831 §6.7: outgoing stream reset once queued messages are out
    }

    long bufferedAmount(int handle) {
        Entry e = byHandle.get(handle);
        return e == null || e.id == null || sctp == null ? 0 : sctp.bufferedAmount(e.id);
    }

    void setBufferedAmountLowThreshold(int handle, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must be >= 0");
        }
        Entry e = byHandle.get(handle);
        if (e == null) {
            return;
        }
        e.lowThreshold = bytes;
        applyThreshold(e);
    }

    private void applyThreshold(Entry e) {
        if (sctp != null && established && e.id != null && e.state == RtcDataChannelState.OPEN) {
            sctp.setBufferedAmountLowThreshold(e.id, e.lowThreshold);
        }
    }

    /** Translates what the data-channel endpoint reports into the application's events. */
    void onEvent(DataChannelEvent event, Consumer<PeerEvent> emit) {
        switch (event) {
            case DataChannelEvent.TransportEstablished t -> established = true;
            case DataChannelEvent.TransportClosed t -> {
                established = false;
                closeAll(emit);
            }
            case DataChannelEvent.DataChannelOpened o -> opened(o.channel(), o.remotelyCreated(), emit);
            case DataChannelEvent.MessageReceived m -> {
                Entry e = byId.get(m.channelId());
                if (e == null || e.state == RtcDataChannelState.CLOSED) {
                    dropped++;
                    return;
                }
                e.messagesReceived++;
                e.bytesReceived += m.data().length;
                emit.accept(new PeerEvent.MessageReceived(e.handle, m.binary(), m.data()));
            }
            case DataChannelEvent.BufferedAmountLow b -> {
                Entry e = byId.get(b.channelId());
                if (e != null) {
                    emit.accept(new PeerEvent.BufferedAmountLow(e.handle));
                }
            }
            case DataChannelEvent.DataChannelClosed c -> {
                Entry e = byId.get(c.channelId());
                if (e != null) {
                    closed(e, emit);
                }
            }
            case DataChannelEvent.InputDropped d -> dropped++;
        }
    }

    private void opened(DataChannel info, boolean remote, Consumer<PeerEvent> emit) {
        Entry e = byId.get(info.id());
        if (remote || e == null) {
            RtcDataChannelInit init = new RtcDataChannelInit(info.ordered(), info.maxRetransmits(), info.maxPacketLifeTime(),
                    info.protocol(), false, null);
            e = new Entry(nextHandle++, info.label(), init, info.id());
            byHandle.put(e.handle, e);
            byId.put(e.id, e);
            emit.accept(new PeerEvent.DataChannelAnnounced(e.handle, e.label, init, e.id));
        }
        e.state = RtcDataChannelState.OPEN;
        applyThreshold(e);
        emit.accept(new PeerEvent.DataChannelOpened(e.handle, e.id));
    }

    private void closed(Entry e, Consumer<PeerEvent> emit) {
        if (e.state == RtcDataChannelState.CLOSED) {
            return;
        }
        e.state = RtcDataChannelState.CLOSED;
        if (e.id != null) {
            byId.remove(e.id, e);
        }
        emit.accept(new PeerEvent.DataChannelClosed(e.handle));
        if (++closedKept > CLOSED_KEPT) {
            for (var it = byHandle.values().iterator(); it.hasNext() && closedKept > CLOSED_KEPT; ) {
                if (it.next().state == RtcDataChannelState.CLOSED) {
                    it.remove();
                    closedKept--;
                }
            }
        }
    }

    /** The transport ended or the connection closed: every channel is closed. */
    void closeAll(Consumer<PeerEvent> emit) {
        for (Entry e : List.copyOf(byHandle.values())) {
            closed(e, emit);
        }
    }

    long dropped() {
        return dropped;
    }

    List<RtcStats.DataChannelStats> stats() {
        List<RtcStats.DataChannelStats> out = new ArrayList<>(byHandle.size());
        for (Entry e : byHandle.values()) {
            out.add(new RtcStats.DataChannelStats(e.label, e.init.protocol(), e.id == null ? -1 : e.id, e.state,
                    e.messagesSent, e.bytesSent, e.messagesReceived, e.bytesReceived));
        }
        return out;
    }
}
