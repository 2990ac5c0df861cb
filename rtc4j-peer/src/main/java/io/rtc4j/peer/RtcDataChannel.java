package io.rtc4j.peer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * W3C RTCDataChannel (RFC 8831): a bidirectional message channel on one SCTP stream of a
 * {@link RtcPeerConnection}.
 *
 * <p>Thread-safety: every method may be called from any thread; the handlers ({@link #onOpen},
 * {@link #onMessage}, {@link #onBufferedAmountLow}, {@link #onClose}) run on the connection's thread, one at a
 * time, in the order things happened. Set them before the event can fire: for a channel you create, right
 * after {@code createDataChannel}; for the peer's, inside {@link RtcPeerConnection#onDataChannel} (it runs on
 * the connection's thread, so nothing is missed). A handler must not block for long: it holds up the
 * connection.
 */
public final class RtcDataChannel {
    private final RtcPeerConnection pc;
    private final int handle;
    private final String label;
    private final RtcDataChannelInit init;
    private volatile Integer id;
    private volatile RtcDataChannelState state = RtcDataChannelState.CONNECTING;
    private volatile long lowThreshold;
    private volatile Runnable onOpen = () -> {};
    private volatile Consumer<RtcDataChannelMessage> onMessage = m -> {};
    private volatile Runnable onBufferedAmountLow = () -> {};
    private volatile Runnable onClose = () -> {};

    RtcDataChannel(RtcPeerConnection pc, int handle, String label, RtcDataChannelInit init, Integer id) {
        this.pc = pc;
        this.handle = handle;
        this.label = label;
        this.init = init;
        this.id = id;
    }

    public String label() {
        return label;
    }

    public String protocol() {
        return init.protocol();
    }

    public boolean ordered() {
        return init.ordered();
    }

    public Optional<Integer> maxRetransmits() {
        return Optional.ofNullable(init.maxRetransmits());
    }

    public Optional<Duration> maxPacketLifeTime() {
        return Optional.ofNullable(init.maxPacketLifeTime());
    }

    public boolean negotiated() {
        return init.negotiated();
    }

    /** The SCTP stream id; empty until the DTLS role is known (RFC 8832 §6: client even, server odd). */
    public Optional<Integer> id() {
        return Optional.ofNullable(id);
    }

    public RtcDataChannelState readyState() {
        return state;
    }

    /**
     * Sends a text message (PPID 51, or 56 when empty). Throws IllegalStateException unless OPEN, and
     * IllegalArgumentException beyond the peer's a=max-message-size (RFC 8841).
     */
    public void send(String text) {
        Objects.requireNonNull(text, "text");
        send(false, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a binary message (PPID 53, or 57 when empty); the array is copied. See {@link #send(String)}. */
    public void send(byte[] data) {
        Objects.requireNonNull(data, "data");
        send(true, data.clone());
    }

    private void send(boolean binary, byte[] data) {
        if (state != RtcDataChannelState.OPEN) {
            throw new IllegalStateException("data channel " + label + " is " + state + " (W3C InvalidStateError)");
        }
        pc.sendOnChannel(handle, binary, data);
    }

    /** Bytes queued by {@code send} and not yet handed to DTLS (W3C bufferedAmount). */
    public long bufferedAmount() {
        return state == RtcDataChannelState.CLOSED ? 0 : pc.bufferedAmount(handle);
    }

    public long bufferedAmountLowThreshold() {
        return lowThreshold;
    }

    /** {@link #onBufferedAmountLow} fires when bufferedAmount falls from above this to at most this. */
    public void setBufferedAmountLowThreshold(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("threshold must be >= 0");
        }
        lowThreshold = bytes;
        pc.setBufferedAmountLowThreshold(handle, bytes);
    }

    /** Closes the channel (RFC 8831 §6.7: outgoing stream reset after queued messages); onClose follows. */
    public void close() {
        RtcDataChannelState s = state;
        if (s == RtcDataChannelState.CLOSING || s == RtcDataChannelState.CLOSED) {
            return;
        }
        state = RtcDataChannelState.CLOSING;
        pc.closeChannel(handle);
    }

    public void onOpen(Runnable handler) {
        this.onOpen = Objects.requireNonNull(handler);
    }

    public void onMessage(Consumer<RtcDataChannelMessage> handler) {
        this.onMessage = Objects.requireNonNull(handler);
    }

    public void onBufferedAmountLow(Runnable handler) {
        this.onBufferedAmountLow = Objects.requireNonNull(handler);
    }

    public void onClose(Runnable handler) {
        this.onClose = Objects.requireNonNull(handler);
    }

    // ---- from the connection's thread ----

    void opened(int streamId) {
        id = streamId;
        if (state == RtcDataChannelState.CONNECTING) {
            state = RtcDataChannelState.OPEN;
            onOpen.run();
        }
    }

    void messageReceived(RtcDataChannelMessage m) {
        if (state == RtcDataChannelState.OPEN || state == RtcDataChannelState.CLOSING) {
            onMessage.accept(m);
        }
    }

    void bufferedAmountLow() {
        onBufferedAmountLow.run();
    }

    void closed() {
        if (state != RtcDataChannelState.CLOSED) {
            state = RtcDataChannelState.CLOSED;
            onClose.run();
        }
    }

    @Override
    public String toString() {
        return "RtcDataChannel[" + label + ", id=" + id + ", " + state + "]";
    }
}
