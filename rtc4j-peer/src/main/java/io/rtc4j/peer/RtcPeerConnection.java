package io.rtc4j.peer;

import io.rtc4j.dtls.DtlsCertificate;
import io.rtc4j.dtls.DtlsConfig;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.net.IceDriverEvent;
import io.rtc4j.ice.net.IceDriverListener;
import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.ice.net.IceUdpDriver;
import io.rtc4j.sdp.SdpType;
import io.rtc4j.sdp.SignalingState;
import io.rtc4j.stun.PacketKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A WebRTC peer connection for data channels, after the W3C RTCPeerConnection: JSEP offer/answer (RFC 8829)
 * with trickle ICE (RFC 8838), ICE over UDP (RFC 8445, with STUN and TURN servers), DTLS 1.2 with the
 * certificate checked against the remote {@code a=fingerprint} (RFC 8827), and data channels over SCTP
 * (RFC 8831/8832).
 *
 * <pre>{@code
 * RtcPeerConnection pc = RtcPeerConnection.create(RtcConfiguration.defaults());
 * pc.onIceCandidate(c -> signaling.send(c));             // trickle, or wait for gathering (see below)
 * RtcDataChannel ch = pc.createDataChannel("chat");
 * ch.onOpen(() -> ch.send("hello"));
 * ch.onMessage(m -> System.out.println(m.text()));
 * pc.setLocalDescription(pc.createOffer());
 * signaling.send(pc.localDescription().orElseThrow());
 * pc.setRemoteDescription(answerFromPeer);
 * }</pre>
 *
 * <h2>Threads</h2>
 * Each connection has one thread of its own that runs the engine ({@code PeerCore}) and every handler, one
 * at a time, in the order things happened; the UDP sockets are served by the ICE driver's event-loop thread,
 * and BouncyCastle's blocking DTLS handshake by a hidden virtual thread that wakes the connection's thread when
 * it has output. Every public method is safe to call from any thread: it runs on the connection's thread and
 * returns its result (or throws its exception), at once when called from a handler. Handlers must not block
 * for long, and should not call <em>another</em> connection's methods directly: two connections whose handlers
 * call each other synchronously can wait on each other (each call gives up after 30 s); hand such calls to a
 * signaling thread or queue instead, as a network signaling channel would.
 *
 * <h2>Errors</h2>
 * Misuse (a method in the wrong signaling state, a closed connection) throws IllegalStateException; a bad
 * argument (unparseable or unusable SDP, a malformed candidate) throws IllegalArgumentException with the
 * reason, and leaves the connection as it was. Bad input from the network is dropped and counted, never thrown.
 * A DTLS certificate that does not match the remote fingerprint fails the connection
 * ({@link RtcPeerConnectionState#FAILED}, see {@link #failureReason()}).
 */
public final class RtcPeerConnection implements AutoCloseable {
    private final RtcConfiguration config;
    private final IceServers servers;
    private final SecureRandom random;
    private final InstantSource clock = InstantSource.system();
    private final PeerLoop loop;
    private final PeerCore core;
    private final DatagramInbox inbox;
    private final Map<Integer, RtcDataChannel> channels = new ConcurrentHashMap<>();
    private final AtomicBoolean dtlsWakePending = new AtomicBoolean();
    private final AtomicLong handlerErrors = new AtomicLong();
    private final CountDownLatch gatheringComplete = new CountDownLatch(1);
    private volatile IceUdpDriver ice;
    private volatile MdnsClient mdns;
    private volatile boolean closed;
    private volatile RtcPeerConnectionState connectionState = RtcPeerConnectionState.NEW;
    private volatile IceConnectionState iceConnectionState = IceConnectionState.NEW;
    private volatile RtcIceGatheringState gatheringState = RtcIceGatheringState.NEW;
    private volatile SignalingState signalingState = SignalingState.STABLE;
    private volatile String failureReason = "";
    private volatile Consumer<RtcIceCandidate> onIceCandidate = c -> {};
    private volatile Consumer<RtcIceGatheringState> onIceGatheringStateChange = s -> {};
    private volatile Consumer<SignalingState> onSignalingStateChange = s -> {};
    private volatile Consumer<IceConnectionState> onIceConnectionStateChange = s -> {};
    private volatile Consumer<RtcPeerConnectionState> onConnectionStateChange = s -> {};
    private volatile Consumer<RtcDataChannel> onDataChannel = c -> {};

    private RtcPeerConnection(RtcConfiguration config) {
        this.config = config;
        this.servers = IceServers.resolve(config);
        this.random = config.random() != null ? config.random() : new SecureRandom();
        DtlsCertificate cert = config.certificates().isEmpty()
                ? DtlsCertificate.generateEcdsa(random, clock.instant())
                : config.certificates().getFirst();
        String serial = Integer.toHexString(System.identityHashCode(this)); // thread names only
        this.loop = new PeerLoop("rtc4j-peer-" + serial, clock, now -> core().handleTimeout(now), this::drain,
                t -> handlerErrors.incrementAndGet());
        this.core = new PeerCore(random, cert, this::dtlsWakeup, Thread.ofVirtual().name("rtc4j-dtls-" + serial + "-", 0).factory(),
                DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT);
        this.inbox = new DatagramInbox(PeerLoop.QUEUE_CAPACITY, loop, d -> core.acceptDatagram(loop.now(), d),
                () -> core.datagramsAccepted(loop.now()));
        loop.start();
    }

    private PeerCore core() {
        return core;
    }

    /**
     * A new connection. Resolves the ICE servers' names now (IllegalArgumentException if one does not
     * resolve); sockets are bound and gathering starts at {@link #setLocalDescription}.
     */
    public static RtcPeerConnection create(RtcConfiguration config) {
        return new RtcPeerConnection(Objects.requireNonNull(config, "config"));
    }

    // ---- JSEP ------------------------------------------------------------------------------------------------

    /** An offer with one data-channel m-section (setup actpass, RFC 8842 §5.2), and candidates gathered so far. */
    public RtcSessionDescription createOffer() {
        return RtcSessionDescription.offer(loop.call(core::createOffer));
    }

    /** An answer to the remote offer (setup active when offered actpass, RFC 8842 §5.3). */
    public RtcSessionDescription createAnswer() {
        return RtcSessionDescription.answer(loop.call(core::createAnswer));
    }

    /**
     * Applies an offer, an answer or a rollback as the local description. The first one binds the sockets and
     * starts gathering: candidates then arrive at {@link #onIceCandidate}. An empty SDP means "create it".
     */
    public void setLocalDescription(RtcSessionDescription description) {
        Objects.requireNonNull(description, "description");
        loop.call(() -> {
            core.setLocalDescription(loop.now(), description);
            return null;
        });
    }

    /** W3C implicit setLocalDescription(): an offer in stable and have-local-offer, else an answer. */
    public void setLocalDescription() {
        loop.call(() -> {
            SignalingState s = core.signalingState();
            SdpType t = s == SignalingState.STABLE || s == SignalingState.HAVE_LOCAL_OFFER ? SdpType.OFFER : SdpType.ANSWER;
            core.setLocalDescription(loop.now(), new RtcSessionDescription(t, ""));
            return null;
        });
    }

    /**
     * W3C restartIce(): the next {@link #createOffer()} carries new ICE credentials (RFC 8839 §4.4.1.1.1). Once
     * that offer is set the agent checks again from scratch (RFC 8445 §9) while data keeps flowing on the pair
     * in use, until the new checks select one. An offer from the peer with new credentials restarts ICE the same
     * way when our answer to it is set. For recovering from a network change or a failed connection.
     */
    public void restartIce() {
        loop.call(() -> {
            core.restartIce();
            return null;
        });
    }

    /**
     * Applies the peer's offer, answer or a rollback. A description that does not parse (RFC 8866), has no
     * usable data-channel m-section, or lacks ICE credentials or a fingerprint is rejected with an
     * IllegalArgumentException naming the problem; nothing changes then.
     */
    public void setRemoteDescription(RtcSessionDescription description) {
        Objects.requireNonNull(description, "description");
        loop.call(() -> {
            core.setRemoteDescription(loop.now(), description);
            return null;
        });
    }

    /**
     * Adds a trickled remote candidate (mDNS {@code .local} names are resolved first), or end-of-candidates
     * when {@code candidate.candidate()} is empty. Needs a remote description (else IllegalStateException).
     */
    public void addIceCandidate(RtcIceCandidate candidate) {
        Objects.requireNonNull(candidate, "candidate");
        loop.call(() -> {
            core.addIceCandidate(loop.now(), candidate);
            return null;
        });
    }

    /** The pending or current local description, with every candidate gathered so far (and end-of-candidates). */
    public Optional<RtcSessionDescription> localDescription() {
        return loop.call(core::localDescription);
    }

    public Optional<RtcSessionDescription> remoteDescription() {
        return loop.call(core::remoteDescription);
    }

    public SignalingState signalingState() {
        return signalingState;
    }

    public RtcIceGatheringState iceGatheringState() {
        return gatheringState;
    }

    public IceConnectionState iceConnectionState() {
        return iceConnectionState;
    }

    public RtcPeerConnectionState connectionState() {
        return connectionState;
    }

    /**
     * W3C RTCSctpTransport.maxMessageSize: the largest message {@link RtcDataChannel#send} accepts, the peer's
     * {@code a=max-message-size} (RFC 8841 §6; 65536 when absent; {@link Integer#MAX_VALUE} for "no limit").
     * Empty until both descriptions are applied.
     */
    public java.util.OptionalLong maxMessageSize() {
        return loop.call(core::maxMessageSize);
    }

    /** W3C RTCDtlsTransport.state: CLOSED for good once the peer sent close_notify. */
    public RtcDtlsTransportState dtlsTransportState() {
        if (closed) {
            return RtcDtlsTransportState.CLOSED; // the connection's thread is gone
        }
        try {
            return loop.call(core::dtlsTransportState);
        } catch (IllegalStateException e) {
            if (closed) {
                return RtcDtlsTransportState.CLOSED; // closed meanwhile
            }
            throw e;
        }
    }

    /** Why the connection is FAILED or DISCONNECTED (e.g. the DTLS fingerprint mismatch), else empty. */
    public String failureReason() {
        return failureReason;
    }

    /**
     * Waits until gathering is complete (for peers that do not trickle: then send {@link #localDescription()},
     * which holds every candidate). Returns false if {@code timeout} passed first.
     */
    public boolean awaitIceGatheringComplete(Duration timeout) throws InterruptedException {
        return gatheringComplete.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** ICE server URLs that are valid but not used ({@code stuns:}: STUN over TLS gives ICE nothing). */
    public List<String> unusedIceServers() {
        return servers.skipped();
    }

    // ---- data channels ---------------------------------------------------------------------------------------

    public RtcDataChannel createDataChannel(String label) {
        return createDataChannel(label, RtcDataChannelInit.DEFAULT);
    }

    /**
     * W3C createDataChannel. An in-band channel opens once SCTP is up and the peer acknowledged it (DCEP,
     * RFC 8832); a negotiated one opens with SCTP on both sides that created it with the same id.
     */
    public RtcDataChannel createDataChannel(String label, RtcDataChannelInit init) {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(init, "init");
        return loop.call(() -> {
            int handle = core.createDataChannel(loop.now(), label, init);
            RtcDataChannel ch = new RtcDataChannel(this, handle, label, init, init.id());
            channels.put(handle, ch);
            return ch;
        });
    }

    void sendOnChannel(int handle, boolean binary, byte[] data) {
        loop.call(() -> {
            core.send(loop.now(), handle, binary, data);
            return null;
        });
    }

    long bufferedAmount(int handle) {
        return loop.call(() -> core.bufferedAmount(handle));
    }

    void setBufferedAmountLowThreshold(int handle, long bytes) {
        loop.call(() -> {
            core.setBufferedAmountLowThreshold(handle, bytes);
            return null;
        });
    }

    void closeChannel(int handle) {
        if (closed) {
            return;
        }
        loop.call(() -> {
            core.closeChannel(loop.now(), handle);
            return null;
        });
    }

    // ---- handlers (all run on the connection's thread) -------------------------------------------------------

    /** A local candidate to send to the peer; an empty candidate string marks the end of gathering. */
    public void onIceCandidate(Consumer<RtcIceCandidate> h) {
        onIceCandidate = Objects.requireNonNull(h);
    }

    public void onIceGatheringStateChange(Consumer<RtcIceGatheringState> h) {
        onIceGatheringStateChange = Objects.requireNonNull(h);
    }

    public void onSignalingStateChange(Consumer<SignalingState> h) {
        onSignalingStateChange = Objects.requireNonNull(h);
    }

    public void onIceConnectionStateChange(Consumer<IceConnectionState> h) {
        onIceConnectionStateChange = Objects.requireNonNull(h);
    }

    public void onConnectionStateChange(Consumer<RtcPeerConnectionState> h) {
        onConnectionStateChange = Objects.requireNonNull(h);
    }

    /** A channel the peer opened in-band; set its handlers inside this handler. */
    public void onDataChannel(Consumer<RtcDataChannel> h) {
        onDataChannel = Objects.requireNonNull(h);
    }

    // ---- stats and close -------------------------------------------------------------------------------------

    /** Bytes and messages per channel, the transport's datagrams, the selected candidate pair, the RTT. */
    public RtcStats getStats() {
        if (closed) {
            throw new IllegalStateException("the peer connection is closed");
        }
        return loop.call(() -> {
            RtcStats s = core.stats(loop.now());
            // datagrams dropped because the connection's queue was full count as dropped too
            return new RtcStats(s.timestamp(), s.connectionState(), s.iceConnectionState(), s.datagramsSent(), s.bytesSent(),
                    s.datagramsReceived(), s.bytesReceived(), s.datagramsDropped() + loop.dropped() + inbox.dropped(), s.selectedPair(),
                    s.iceLocalUsernameFragment(), s.selectedCandidatePairChanges(), s.roundTripTime(), s.channels(), s.sctp());
        });
    }

    /** Remote mDNS host names resolved so far (diagnostics for tests). */
    long mdnsResolved() {
        return loop.call(core::mdnsResolved);
    }

    /** Exceptions thrown by handlers so far (each is caught and counted; the connection goes on). */
    public long handlerErrors() {
        return handlerErrors.get();
    }

    /**
     * Closes every channel, aborts SCTP, sends DTLS close_notify, stops ICE and the connection's thread.
     * Idempotent; may be called from a handler.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            loop.call(() -> {
                core.close(loop.now());
                return null;
            });
        } catch (IllegalStateException e) {
            // the loop has stopped already
        }
        closed = true;
        IceUdpDriver d = ice;
        if (d != null) {
            d.close();
        }
        MdnsClient m = mdns;
        if (m != null) {
            m.close();
        }
        loop.close();
    }

    // ---- the driver: engine outputs to sockets and handlers ---------------------------------------------------

    private void dtlsWakeup() {
        // called on the DTLS thread (or ours during send): schedule one drain, not one per record
        if (dtlsWakePending.compareAndSet(false, true)) {
            if (!loop.executeControl(() -> {
                dtlsWakePending.set(false);
                core.handleDtlsReady(loop.now());
            })) {
                dtlsWakePending.set(false);
            }
        }
    }

    /** Loop thread: drains the engine after every task (str0m's rule: until it returns a Timeout). */
    private void drain() {
        for (int i = 0; i < 10_000_000; i++) {
            PeerOutput o = core.pollOutput();
            switch (o) {
                case PeerOutput.Timeout t -> {
                    loop.setDeadline(t.at());
                    return;
                }
                case PeerOutput.Transmit t -> {
                    IceUdpDriver d = ice;
                    if (d != null) {
                        d.send(ByteBuffer.wrap(t.datagram())); // false is counted by the driver
                    }
                }
                case PeerOutput.StartIce s -> startIce(s);
                case PeerOutput.RestartIce r -> withIce(d -> {
                    d.restart(r.local());
                    if (r.remote() != null) {
                        d.setRemoteCredentials(r.remote());
                    }
                });
                case PeerOutput.RemoteIceCredentials c -> withIce(d -> d.setRemoteCredentials(c.credentials()));
                case PeerOutput.RemoteCandidate c -> withIce(d -> d.addRemoteCandidate(c.candidate()));
                case PeerOutput.EndOfRemoteCandidates e -> withIce(IceUdpDriver::endOfRemoteCandidates);
                case PeerOutput.ResolveMdns r -> mdns().resolve(r.name());
                case PeerEvent e -> dispatch(e);
            }
        }
        throw new IllegalStateException("engine output never ended");
    }

    private void withIce(Consumer<IceUdpDriver> action) {
        IceUdpDriver d = ice;
        if (d != null) {
            action.accept(d);
        }
    }

    private MdnsClient mdns() {
        if (mdns == null) {
            mdns = new MdnsClient((name, address) -> loop.executeControl(() -> core.mdnsResolved(loop.now(), name, address)), clock);
        }
        return mdns;
    }

    private void startIce(PeerOutput.StartIce s) {
        try {
            ice = IceUdpDriver.start(servers.iceConfig(config, s.role(), s.credentials(), clock, random), new IceDriverListener() {
                @Override
                public void onEvent(IceDriverEvent event) {
                    loop.executeControl(() -> core.handleIceEvent(loop.now(), event));
                }

                @Override
                public void onDatagram(PacketKind kind, InetSocketAddress local, InetSocketAddress remote, ByteBuffer data) {
                    if (kind != PacketKind.DTLS) {
                        return; // data channels only: RTP, ZRTP and QUIC have no receiver here
                    }
                    byte[] copy = new byte[data.remaining()];
                    data.get(copy);
                    inbox.offer(copy);
                }
            });
        } catch (IOException | RuntimeException e) {
            failureReason = "ICE could not start: " + e.getMessage();
            core.handleIceEvent(loop.now(), new IceDriverEvent.StateChanged(IceConnectionState.FAILED));
        }
    }

    private void dispatch(PeerEvent e) {
        try {
            switch (e) {
                case PeerEvent.SignalingStateChanged s -> {
                    signalingState = s.state();
                    onSignalingStateChange.accept(s.state());
                }
                case PeerEvent.IceGatheringStateChanged g -> {
                    gatheringState = g.state();
                    if (g.state() == RtcIceGatheringState.COMPLETE) {
                        gatheringComplete.countDown();
                    }
                    onIceGatheringStateChange.accept(g.state());
                }
                case PeerEvent.IceCandidateGathered c -> onIceCandidate.accept(c.candidate());
                case PeerEvent.IceConnectionStateChanged s -> {
                    iceConnectionState = s.state();
                    onIceConnectionStateChange.accept(s.state());
                }
                case PeerEvent.ConnectionStateChanged s -> {
                    if (!s.reason().isEmpty() && failureReason.isEmpty()) {
                        failureReason = s.reason();
                    }
                    connectionState = s.state();
                    onConnectionStateChange.accept(s.state());
                }
                case PeerEvent.DataChannelAnnounced a -> {
                    RtcDataChannel ch = new RtcDataChannel(this, a.handle(), a.label(), a.init(), a.id());
                    channels.put(a.handle(), ch);
                    onDataChannel.accept(ch);
                }
                case PeerEvent.DataChannelOpened o -> channel(o.handle()).ifPresent(c -> c.opened(o.id()));
                case PeerEvent.MessageReceived m ->
                        channel(m.handle()).ifPresent(c -> c.messageReceived(new RtcDataChannelMessage(m.binary(), m.data())));
                case PeerEvent.BufferedAmountLow b -> channel(b.handle()).ifPresent(RtcDataChannel::bufferedAmountLow);
                case PeerEvent.DataChannelClosed c -> {
                    RtcDataChannel ch = channels.remove(c.handle()); // nothing more comes for it
                    if (ch != null) {
                        ch.closed();
                    }
                }
            }
        } catch (RuntimeException ex) {
            handlerErrors.incrementAndGet(); // a throwing handler must not stop the connection
        }
    }

    private Optional<RtcDataChannel> channel(int handle) {
        return Optional.ofNullable(channels.get(handle));
    }
}
