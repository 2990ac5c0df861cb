package io.rtc4j.sctp.datachannel;

import io.rtc4j.sctp.SctpAssociation;
import io.rtc4j.sctp.SctpConfig;
import io.rtc4j.sctp.SctpEvent;
import io.rtc4j.sctp.SctpOutput;
import io.rtc4j.sctp.SctpParseException;
import io.rtc4j.sctp.SctpSendOptions;
import io.rtc4j.sctp.datachannel.DataChannelEvent.BufferedAmountLow;
import io.rtc4j.sctp.datachannel.DataChannelEvent.DataChannelClosed;
import io.rtc4j.sctp.datachannel.DataChannelEvent.DataChannelOpened;
import io.rtc4j.sctp.datachannel.DataChannelEvent.InputDropped;
import io.rtc4j.sctp.datachannel.DataChannelEvent.MessageReceived;
import io.rtc4j.sctp.datachannel.DataChannelEvent.TransportClosed;
import io.rtc4j.sctp.datachannel.DataChannelEvent.TransportEstablished;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * WebRTC data channels (RFC 8831) with DCEP (RFC 8832) over one {@link SctpAssociation}, sans-IO like it: feed the
 * SCTP packets from DTLS to {@link #handleInput}, call {@link #handleTimeout} at the deadline, and drain
 * {@link #pollOutput} until it returns a {@link DataChannelOutput.Timeout}. Not thread-safe.
 */
public final class DataChannelEndpoint {
    /** RFC 8831 §8: payload protocol identifiers. 52 and 54 (partial) are deprecated: accepted, never sent. */
    static final int PPID_DCEP = 50, PPID_STRING = 51, PPID_STRING_PARTIAL = 52, PPID_BINARY = 53,
            PPID_BINARY_PARTIAL = 54, PPID_STRING_EMPTY = 56, PPID_BINARY_EMPTY = 57;

    private enum State { CONNECTING, OPEN, CLOSING }

    private static final class Channel {
        final DataChannel info;
        final boolean remote;
        State state = State.CONNECTING;
        boolean acked;
        boolean outgoingReset;
        boolean incomingReset;
        ByteArrayOutputStream partial;

        Channel(DataChannel info, boolean remote) {
            this.info = info;
            this.remote = remote;
        }
    }

    private final SctpAssociation sctp;
    private final int maxMessageSize;
    private final ArrayDeque<DataChannelOutput> outputs = new ArrayDeque<>();
    private final Map<Integer, Channel> channels = new TreeMap<>();
    private final boolean dtlsClient;
    private Instant deadline = Instant.MAX;
    private boolean established;
    private boolean closed;
    private long dropped;

    /** @param dtlsClient our DTLS role: the client uses even stream ids, the server odd ones (RFC 8832 §6) */
    public DataChannelEndpoint(SctpConfig config, RandomGenerator random, boolean dtlsClient) {
        this.sctp = new SctpAssociation(config, random);
        this.maxMessageSize = config.maxMessageSize();
        this.dtlsClient = dtlsClient;
    }

    public void connect(Instant now) {
        sctp.connect(now);
        pump(now);
    }

    public void handleInput(Instant now, byte[] packet) {
        sctp.handleInput(now, packet);
        pump(now);
    }

    public void handleTimeout(Instant now) {
        sctp.handleTimeout(now);
        pump(now);
    }

    public DataChannelOutput pollOutput() {
        DataChannelOutput o = outputs.poll();
        return o != null ? o : new DataChannelOutput.Timeout(deadline);
    }

    /** The association underneath, for its statistics. */
    public SctpAssociation association() {
        return sctp;
    }

    public long droppedCount() {
        return dropped;
    }

    /** W3C createDataChannel: in-band channels announce themselves with DATA_CHANNEL_OPEN once SCTP is up. */
    public DataChannel createDataChannel(Instant now, String label, DataChannelInit init) {
        Objects.requireNonNull(label, "label");
        if (closed) {
            throw new IllegalStateException("transport closed");
        }
        int id = init.negotiated() ? init.id() : freeId();
        if (channels.containsKey(id)) {
            throw new IllegalArgumentException("stream id " + id + " is in use");
        }
        DataChannel info = new DataChannel(id, label, init.protocol(), init.ordered(), init.maxRetransmits(),
                init.maxPacketLifeTime(), init.negotiated());
        Channel c = new Channel(info, false);
        channels.put(id, c);
        if (established) {
            start(now, c);
        }
        pump(now);
        return info;
    }

    private int freeId() {
        for (int id = dtlsClient ? 0 : 1; id <= 65534; id += 2) {
            if (!channels.containsKey(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no free stream id");
    }

    private void start(Instant now, Channel c) {
        if (c.info.negotiated()) {
            open(c, false);
            return;
        }
        DataChannel i = c.info;
        int type;
        long param = 0;
        if (i.maxRetransmits() != null) {
            type = DcepMessage.PARTIAL_RELIABLE_REXMIT;
            param = i.maxRetransmits();
        } else if (i.maxPacketLifeTime() != null) {
            type = DcepMessage.PARTIAL_RELIABLE_TIMED;
            param = i.maxPacketLifeTime().toMillis();
        } else {
            type = DcepMessage.RELIABLE;
        }
        if (!i.ordered()) {
            type |= 0x80;
        }
        byte[] open = DcepCodec.encode(new DcepMessage.Open(type, 0, param, i.label(), i.protocol()));
        // RFC 8832 §6: OPEN goes reliable and ordered
        sctp.send(now, i.id(), PPID_DCEP, open, SctpSendOptions.RELIABLE_ORDERED);
        // RFC 8832 §6: the opener may send at once, before the ACK (ordered until then: see send); so the channel
        // is open now, one round trip earlier, as in libwebrtc
        c.state = State.OPEN;
        outputs.add(new DataChannelOpened(c.info, false));
    }

    private void open(Channel c, boolean remote) {
        c.state = State.OPEN;
        c.acked = true;
        outputs.add(new DataChannelOpened(c.info, remote));
    }

    public void send(Instant now, int channelId, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        send(now, channelId, b.length == 0 ? PPID_STRING_EMPTY : PPID_STRING, b);
    }

    public void send(Instant now, int channelId, byte[] data) {
        send(now, channelId, data.length == 0 ? PPID_BINARY_EMPTY : PPID_BINARY, data);
    }

    private void send(Instant now, int id, int ppid, byte[] data) {
        Channel c = channels.get(id);
        if (c == null || c.state == State.CLOSING || !established) {
            throw new IllegalStateException("channel " + id + " is not open");
        }
        DataChannel i = c.info;
        // RFC 8832 §6: until the ACK, send ordered so the OPEN is delivered first
        boolean unordered = !i.ordered() && c.acked;
        SctpSendOptions o = new SctpSendOptions(unordered, i.maxRetransmits() == null ? -1 : i.maxRetransmits(),
                i.maxPacketLifeTime());
        // RFC 8831 §6.6: an empty message is one zero byte with PPID 56 or 57
        sctp.send(now, id, ppid, data.length == 0 ? new byte[1] : data, o);
        pump(now);
    }

    /** W3C close(): resets the outgoing stream after buffered messages are sent (RFC 8831 §6.7). */
    public void close(Instant now, int channelId) {
        Channel c = channels.get(channelId);
        if (c == null || c.state == State.CLOSING) {
            return;
        }
        c.state = State.CLOSING;
        requestReset(now, c);
        pump(now);
    }

    private void requestReset(Instant now, Channel c) {
        if (established && sctp.state() == SctpAssociation.State.ESTABLISHED) {
            try {
                sctp.resetStreams(now, List.of(c.info.id()));
                return;
            } catch (IllegalStateException e) {
                // the peer lacks RE-CONFIG: the channel can only close locally
            }
        }
        channels.remove(c.info.id());
        outputs.add(new DataChannelClosed(c.info.id()));
    }

    public long bufferedAmount(int channelId) {
        return sctp.bufferedAmount(channelId);
    }

    public void setBufferedAmountLowThreshold(int channelId, long bytes) {
        sctp.setBufferedAmountLowThreshold(channelId, bytes);
    }

    /** Graceful SCTP shutdown; every channel closes when it completes. */
    public void shutdown(Instant now) {
        sctp.shutdown(now);
        pump(now);
    }

    public void abort(Instant now, String reason) {
        sctp.abort(now, reason);
        pump(now);
    }

    // ---- SCTP events --------------------------------------------------------------------------------------

    private void pump(Instant now) {
        for (int i = 0; i < 10_000_000; i++) {
            SctpOutput o = sctp.pollOutput();
            switch (o) {
                case SctpOutput.Transmit t -> outputs.add(new DataChannelOutput.Transmit(t.packet()));
                case SctpOutput.Timeout t -> {
                    deadline = t.deadline();
                    return;
                }
                case SctpEvent e -> onEvent(now, e);
            }
        }
        throw new IllegalStateException("SCTP output never ended");
    }

    private void onEvent(Instant now, SctpEvent e) {
        switch (e) {
            case SctpEvent.AssociationEstablished a -> {
                established = true;
                outputs.add(new TransportEstablished());
                for (Channel c : new ArrayList<>(channels.values())) {
                    start(now, c);
                }
            }
            case SctpEvent.MessageReceived m -> onMessage(now, m);
            case SctpEvent.IncomingStreamsReset r -> {
                for (int id : r.streamIds().isEmpty() ? List.copyOf(channels.keySet()) : r.streamIds()) {
                    Channel c = channels.get(id);
                    if (c == null) {
                        continue;
                    }
                    c.incomingReset = true;
                    if (c.state != State.CLOSING) {
                        c.state = State.CLOSING; // the peer closed: reset our side too (RFC 8831 §6.7)
                        requestReset(now, c);
                    }
                    closedIfDone(c);
                }
            }
            case SctpEvent.OutgoingStreamsReset r -> {
                for (int id : r.streamIds()) {
                    Channel c = channels.get(id);
                    if (c != null) {
                        c.outgoingReset = true;
                        closedIfDone(c);
                    }
                }
            }
            case SctpEvent.StreamResetFailed f -> {
                for (int id : f.streamIds()) {
                    Channel c = channels.remove(id);
                    if (c != null) {
                        outputs.add(new DataChannelClosed(id));
                    }
                }
            }
            case SctpEvent.BufferedAmountLow b -> {
                if (channels.containsKey(b.streamId())) {
                    outputs.add(new BufferedAmountLow(b.streamId()));
                }
            }
            case SctpEvent.AssociationClosed c -> {
                closed = true;
                established = false;
                for (int id : channels.keySet()) {
                    outputs.add(new DataChannelClosed(id));
                }
                channels.clear();
                outputs.add(new TransportClosed(c.reason() + ": " + c.detail()));
            }
            case SctpEvent.PacketDropped d -> drop(d.reason());
        }
    }

    private void closedIfDone(Channel c) {
        if (c.incomingReset && c.outgoingReset && channels.remove(c.info.id()) != null) {
            outputs.add(new DataChannelClosed(c.info.id()));
        }
    }

    private void drop(String reason) {
        dropped++;
        outputs.add(new InputDropped(reason));
    }

    private void onMessage(Instant now, SctpEvent.MessageReceived m) {
        int id = m.streamId();
        Channel c = channels.get(id);
        if (m.ppid() == PPID_DCEP) {
            DcepMessage d;
            try {
                d = DcepCodec.decode(m.data());
            } catch (SctpParseException ex) {
                drop("malformed DCEP on stream " + id + ": " + ex.getMessage());
                return;
            }
            switch (d) {
                case DcepMessage.Open o -> onOpen(now, id, o);
                case DcepMessage.Ack a -> {
                    if (c != null && !c.remote) {
                        c.acked = true;
                    }
                }
            }
            return;
        }
        if (c == null) {
            drop("message on stream " + id + " without a channel");
            return;
        }
        if (!c.remote) {
            c.acked = true; // RFC 8832 §6: user data before the ACK acknowledges implicitly
        }
        switch (m.ppid()) {
            case PPID_STRING, PPID_BINARY -> deliver(c, m.ppid() == PPID_BINARY, m.data());
            case PPID_STRING_EMPTY -> deliver(c, false, new byte[0]);
            case PPID_BINARY_EMPTY -> deliver(c, true, new byte[0]);
            case PPID_STRING_PARTIAL, PPID_BINARY_PARTIAL -> {
                if (c.partial == null) {
                    c.partial = new ByteArrayOutputStream();
                }
                if (c.partial.size() + m.data().length > maxMessageSize) {
                    c.partial = null;
                    drop("deprecated partial message beyond max-message-size on stream " + id);
                    return;
                }
                c.partial.writeBytes(m.data());
            }
            default -> drop("unknown PPID " + m.ppid() + " on stream " + id);
        }
    }

    private void deliver(Channel c, boolean binary, byte[] data) {
        if (c.partial != null) {
            c.partial.writeBytes(data);
            data = c.partial.toByteArray();
            c.partial = null;
        }
        outputs.add(new MessageReceived(c.info.id(), binary, data));
    }

    private void onOpen(Instant now, int id, DcepMessage.Open o) {
        if (channels.containsKey(id)) {
            drop("DATA_CHANNEL_OPEN for stream " + id + " already in use");
            return;
        }
        Integer rexmit = null;
        Duration life = null;
        switch (o.channelType() & 0x7F) {
            case DcepMessage.PARTIAL_RELIABLE_REXMIT -> rexmit = (int) Math.min(0xFFFF, o.reliabilityParameter());
            case DcepMessage.PARTIAL_RELIABLE_TIMED -> life = Duration.ofMillis(o.reliabilityParameter());
            default -> {}
        }
        DataChannel info = new DataChannel(id, o.label(), o.protocol(), !o.unordered(), rexmit, life, false);
        Channel c = new Channel(info, true);
        channels.put(id, c);
        sctp.send(now, id, PPID_DCEP, DcepCodec.encode(new DcepMessage.Ack()), SctpSendOptions.RELIABLE_ORDERED);
        open(c, true);
    }
}
