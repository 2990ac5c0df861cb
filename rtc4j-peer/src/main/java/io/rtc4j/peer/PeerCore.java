package io.rtc4j.peer;

import io.rtc4j.dtls.DtlsCertificate;
import io.rtc4j.dtls.DtlsConfig;
import io.rtc4j.dtls.DtlsEndpoint;
import io.rtc4j.dtls.DtlsFingerprint;
import io.rtc4j.dtls.DtlsOutput;
import io.rtc4j.dtls.DtlsRole;
import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.net.IceDriverEvent;
import io.rtc4j.sctp.SctpConfig;
import io.rtc4j.sctp.datachannel.DataChannelEndpoint;
import io.rtc4j.sctp.datachannel.DataChannelEvent;
import io.rtc4j.sctp.datachannel.DataChannelOutput;
import io.rtc4j.sdp.JsepLocalParameters;
import io.rtc4j.sdp.JsepRemoteParameters;
import io.rtc4j.sdp.SetupRole;
import io.rtc4j.sdp.SignalingState;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;

/**
 * The whole connection as one sans-IO engine (str0m's shape): JSEP signaling ({@link PeerSignaling}), and the
 * transports it sets up: DTLS (RFC 8827) over ICE, SCTP with data channels (RFC 8831/8832) over DTLS. Time,
 * ICE events and datagrams go in; datagrams, ICE commands, application events and the next deadline come out
 * of {@link #pollOutput()}. The ICE agent itself runs in the UDP driver's event loop ({@code IceUdpDriver}),
 * which also demultiplexes (RFC 7983) and hands us only DTLS datagrams.
 *
 * <p>Not thread-safe: one driver thread calls everything. The one exception is the wakeup Runnable, which the
 * DTLS endpoint's hidden handshake thread calls when it has output; it must only schedule
 * {@link #handleDtlsReady} on the driver thread.
 */
final class PeerCore {
    /** DTLS records kept while no DTLS endpoint exists yet (the answer is still on its way). */
    static final int EARLY_DATAGRAM_LIMIT = 64;
    private static final int DRAIN_LIMIT = 1_000_000;
    /** Records queued for the DTLS thread: a window's worth (SCTP's 8 MiB receive window in 1200-byte packets). */
    static final int DTLS_INBOUND_QUEUE = 8192;
    /** DTLS datagrams held while ICE has no route yet (a server's first flight, answered early): a few flights. */
    static final int HELD_TRANSMIT_LIMIT = 64;

    private final SecureRandom random;
    private final DtlsCertificate certificate;
    private final Runnable dtlsWakeup;
    private final ThreadFactory dtlsThreads;
    private final Duration dtlsHandshakeTimeout;
    private final ArrayDeque<PeerOutput> out = new ArrayDeque<>();
    private final PeerSignaling signaling;
    private final PeerChannels channels = new PeerChannels();
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private DtlsRole dtlsRole;

    private IceConnectionState iceState = IceConnectionState.NEW;
    private CandidatePair selectedPair;
    private DtlsEndpoint dtls;
    private boolean dtlsStarted, dtlsConnected, dtlsFailed, dtlsClosedByPeer;
    private String failure = "";
    private DataChannelEndpoint sctp;
    private Instant dtlsDeadline = Instant.MAX, sctpDeadline = Instant.MAX;
    private RtcPeerConnectionState connectionState = RtcPeerConnectionState.NEW;
    private boolean closed;
    private long remoteMaxMessageSize = -1;
    private long datagramsSent, bytesSent, datagramsReceived, bytesReceived, dropped, selectedPairChanges;

    PeerCore(SecureRandom random, DtlsCertificate certificate, Runnable dtlsWakeup, ThreadFactory dtlsThreads,
            Duration dtlsHandshakeTimeout) {
        this.random = random;
        this.certificate = certificate;
        this.dtlsWakeup = dtlsWakeup;
        this.dtlsThreads = dtlsThreads;
        this.dtlsHandshakeTimeout = dtlsHandshakeTimeout;
        this.signaling = new PeerSignaling(random, certificate.fingerprint(), out::add, this::transportReady);
    }

    // ---- signaling (W3C RTCPeerConnection methods) ----------------------------------------------------------

    String createOffer() {
        checkOpen();
        return signaling.createOffer();
    }

    String createAnswer() {
        checkOpen();
        return signaling.createAnswer();
    }

    void setLocalDescription(Instant now, RtcSessionDescription d) {
        checkOpen();
        signaling.setLocal(now, d);
        pump(now);
    }

    void setRemoteDescription(Instant now, RtcSessionDescription d) {
        checkOpen();
        signaling.setRemote(now, d);
        pump(now);
    }

    void addIceCandidate(Instant now, RtcIceCandidate c) {
        checkOpen();
        signaling.addRemoteCandidate(c);
        pump(now);
    }

    /** W3C restartIce(): the next offer restarts ICE. */
    void restartIce() {
        checkOpen();
        signaling.restartIce();
    }

    void mdnsResolved(Instant now, String name, java.net.InetAddress address) {
        signaling.mdnsResolved(name, address);
        pump(now);
    }

    SignalingState signalingState() {
        return signaling.state();
    }

    Optional<RtcSessionDescription> localDescription() {
        return signaling.localDescription();
    }

    Optional<RtcSessionDescription> remoteDescription() {
        return signaling.remoteDescription();
    }

    long mdnsResolved() {
        return signaling.mdnsResolved();
    }

    RtcIceGatheringState iceGatheringState() {
        return signaling.gatheringState();
    }

    // ---- data channels --------------------------------------------------------------------------------------

    int createDataChannel(Instant now, String label, RtcDataChannelInit init) {
        checkOpen();
        int h = channels.create(now, label, init);
        pump(now);
        return h;
    }

    void send(Instant now, int handle, boolean binary, byte[] data) {
        channels.send(now, handle, binary, data);
        pump(now);
    }

    void closeChannel(Instant now, int handle) {
        channels.close(now, handle, out::add);
        pump(now);
    }

    long bufferedAmount(int handle) {
        return channels.bufferedAmount(handle);
    }

    void setBufferedAmountLowThreshold(int handle, long bytes) {
        channels.setBufferedAmountLowThreshold(handle, bytes);
    }

    // ---- inputs from the driver -------------------------------------------------------------------------------

    /** An event of the ICE agent (candidate gathered, state, selected pair ...). */
    void handleIceEvent(Instant now, IceDriverEvent e) {
        if (closed) {
            return;
        }
        switch (e) {
            case IceDriverEvent.CandidateGathered g -> signaling.localCandidateGathered(g.candidate());
            case IceDriverEvent.GatheringCompleted g -> signaling.localGatheringCompleted();
            case IceDriverEvent.StateChanged s -> {
                iceState = s.state();
                out.add(new PeerEvent.IceConnectionStateChanged(iceState));
                if (connected(iceState)) {
                    startDtls(now);
                    releaseHeld();
                }
            }
            case IceDriverEvent.SelectedPairChanged p -> {
                selectedPair = p.pair();
                selectedPairChanges++;
            }
            default -> {} // role changes, peer-reflexive and relay failures: the agent handles them
        }
        pump(now);
    }

    /** A DTLS datagram (RFC 7983: first byte 20-63) from the selected pair. */
    void handleDatagram(Instant now, byte[] datagram) {
        acceptDatagram(now, datagram);
        pump(now);
    }

    /** After a batch of {@link #acceptDatagram}: drains the transports once. */
    void datagramsAccepted(Instant now) {
        if (!closed) {
            pump(now);
        }
    }

    /** As {@link #handleDatagram} without draining the transports: call {@link #datagramsAccepted} after a batch. */
    void acceptDatagram(Instant now, byte[] datagram) {
        if (closed) {
            return;
        }
        datagramsReceived++;
        bytesReceived += datagram.length;
        if (dtls == null) {
            // a ClientHello can overtake the answer: keep it for the endpoint
            if (early.size() < EARLY_DATAGRAM_LIMIT) {
                early.add(datagram);
            } else {
                dropped++;
            }
            return;
        }
        if (dtlsRole == DtlsRole.SERVER && !dtlsStarted) {
            // The client's ICE often finds its route first and its ClientHello beats our connected event: work
            // on it now, overlapped with our checks; what we send is held until ICE has a route (releaseHeld).
            startDtls(now);
        }
        dtls.handleInput(now, datagram);
    }

    /** DTLS datagrams written before ICE had a route, waiting for it (tests). */
    int heldDatagrams() {
        return held.size();
    }

    /** ICE has a route: send what DTLS wrote before it had one, in order. */
    private void releaseHeld() {
        while (!held.isEmpty()) {
            byte[] d = held.poll();
            datagramsSent++;
            bytesSent += d.length;
            out.add(new PeerOutput.Transmit(d));
        }
    }

    /** The DTLS endpoint's hidden thread queued output (see the wakeup Runnable). */
    void handleDtlsReady(Instant now) {
        pump(now);
    }

    void handleTimeout(Instant now) {
        if (closed) {
            return;
        }
        if (dtls != null && !now.isBefore(dtlsDeadline)) {
            dtls.handleTimeout(now);
        }
        if (sctp != null && !now.isBefore(sctpDeadline)) {
            sctp.handleTimeout(now);
        }
        pump(now);
    }

    PeerOutput pollOutput() {
        PeerOutput o = out.poll();
        return o != null ? o : new PeerOutput.Timeout(dtlsDeadline.isBefore(sctpDeadline) ? dtlsDeadline : sctpDeadline);
    }

    /** W3C close(): channels close, SCTP aborts, DTLS sends close_notify; the driver then stops ICE. */
    void close(Instant now) {
        if (closed) {
            return;
        }
        if (sctp != null && dtlsConnected) {
            sctp.abort(now, "peer connection closed");
        }
        channels.closeAll(out::add);
        pump(now);
        closed = true;
        if (dtls != null) {
            dtls.close();
            drainDtls(now);
        }
        signaling.close();
        setConnectionState(RtcPeerConnectionState.CLOSED, "");
        dtlsDeadline = sctpDeadline = Instant.MAX;
    }

    RtcStats stats(Instant now) {
        Optional<RtcStats.CandidatePairStats> pair = Optional.ofNullable(selectedPair).map(p -> new RtcStats.CandidatePairStats(
                PeerSignaling.typeName(p.local().candidate().type()), p.local().candidate().socketAddress().orElse(p.local().base()),
                PeerSignaling.typeName(p.remote().type()), p.remote().socketAddress().orElse(null)));
        Optional<Duration> rtt = sctp == null ? Optional.empty() : Optional.ofNullable(sctp.association().smoothedRtt());
        long dtlsDropped = dtls == null ? 0 : dtls.droppedTotal();
        return new RtcStats(now, connectionState, iceState, datagramsSent, bytesSent, datagramsReceived, bytesReceived,
                dropped + dtlsDropped, pair, signaling.localUsernameFragment(), selectedPairChanges, rtt, channels.stats(),
                sctp == null ? Optional.empty() : Optional.of(sctp.association().senderStats()));
    }

    /** The largest message the peer accepts (RFC 8841 §6: its a=max-message-size, 65536 if absent), once known. */
    java.util.OptionalLong maxMessageSize() {
        return remoteMaxMessageSize < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(remoteMaxMessageSize);
    }

    RtcPeerConnectionState connectionState() {
        return connectionState;
    }

    IceConnectionState iceConnectionState() {
        return iceState;
    }

    RtcDtlsTransportState dtlsTransportState() {
        if (dtlsFailed) {
            return RtcDtlsTransportState.FAILED;
        }
        if (closed || dtlsClosedByPeer) {
            return RtcDtlsTransportState.CLOSED;
        }
        return dtlsConnected ? RtcDtlsTransportState.CONNECTED
                : dtlsStarted ? RtcDtlsTransportState.CONNECTING : RtcDtlsTransportState.NEW;
    }

    // ---- transports ------------------------------------------------------------------------------------------

    /** Both descriptions are applied: DTLS and SCTP can be set up (RFC 8842 roles, RFC 8841 ports and sizes). */
    private void transportReady(Instant now, JsepRemoteParameters remote, SetupRole localSetup) {
        if (dtls != null) {
            return; // renegotiation keeps the transport
        }
        DtlsRole role = localSetup == SetupRole.ACTIVE ? DtlsRole.CLIENT : DtlsRole.SERVER;
        dtlsRole = role;
        List<DtlsFingerprint> fps = remote.fingerprints().stream()
                .filter(f -> DtlsFingerprint.supports(f.hashFunction()))
                .map(f -> DtlsFingerprint.parse(f.hashFunction() + " " + f.fingerprint())).toList();
        DtlsConfig config = DtlsConfig.builder(role, certificate, fps)
                .srtpProfiles(List.of()) // data channels only
                .handshakeTimeout(dtlsHandshakeTimeout)
                // a bulk transfer delivers bursts of thousands of records: drops here cost SCTP retransmissions
                .inboundQueueLimit(DTLS_INBOUND_QUEUE)
                .random(random)
                .threadFactory(dtlsThreads)
                .build();
        dtls = new DtlsEndpoint(config);
        dtls.onOutputReady(dtlsWakeup);
        long remoteMax = remote.maxMessageSize();
        // RFC 8841 §6.1: 0 means no limit; SCTP's own limit is an int
        remoteMaxMessageSize = remoteMax == 0 || remoteMax > Integer.MAX_VALUE ? Integer.MAX_VALUE : remoteMax;
        SctpConfig sctpConfig = SctpConfig.builder()
                .localPort(JsepLocalParameters.DEFAULT_SCTP_PORT)
                .remotePort(remote.sctpPort())
                .maxMessageSize((int) JsepLocalParameters.DEFAULT_MAX_MESSAGE_SIZE)
                .remoteMaxMessageSize(remoteMaxMessageSize == Integer.MAX_VALUE ? 0 : (int) remoteMaxMessageSize)
                .build();
        // RFC 8832 §6: the DTLS client uses even stream ids, the server odd ones
        sctp = new DataChannelEndpoint(sctpConfig, random, role == DtlsRole.CLIENT);
        channels.attach(now, sctp); // nothing goes out before the association is up
        boolean clientHelloWaiting = !early.isEmpty();
        while (!early.isEmpty()) {
            dtls.handleInput(now, early.poll());
        }
        if (connected(iceState) || (role == DtlsRole.SERVER && clientHelloWaiting)) {
            startDtls(now); // a waiting ClientHello is answered at once, the answer held until ICE has a route
        }
    }

    private void startDtls(Instant now) {
        if (dtls != null && !dtlsStarted) {
            dtlsStarted = true;
            dtls.start(now);
            updateConnectionState();
        }
    }

    private static boolean connected(IceConnectionState s) {
        return s == IceConnectionState.CONNECTED || s == IceConnectionState.COMPLETED;
    }

    /** Drains DTLS and SCTP into each other and into {@link #out} until neither has more. */
    private void pump(Instant now) {
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            boolean progressed = drainSctp(now) | drainDtls(now);
            if (!progressed) {
                updateConnectionState();
                return;
            }
        }
        throw new IllegalStateException("DTLS and SCTP outputs never ended");
    }

    private boolean drainSctp(Instant now) {
        if (sctp == null) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            DataChannelOutput o = sctp.pollOutput();
            switch (o) {
                case DataChannelOutput.Timeout t -> {
                    sctpDeadline = t.deadline();
                    return any;
                }
                case DataChannelOutput.Transmit t -> {
                    any = true;
                    if (dtlsConnected && dtls.isConnected()) {
                        dtls.send(t.packet()); // RFC 8261 §3: one SCTP packet per DTLS record
                    } else {
                        dropped++;
                    }
                }
                case DataChannelEvent e -> {
                    any = true;
                    channels.onEvent(e, out::add);
                }
            }
        }
        return any;
    }

    private boolean drainDtls(Instant now) {
        if (dtls == null) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < DRAIN_LIMIT; i++) {
            DtlsOutput o = dtls.pollOutput();
            switch (o) {
                case DtlsOutput.Timeout t -> {
                    dtlsDeadline = t.at();
                    return any;
                }
                case DtlsOutput.Transmit t -> {
                    any = true;
                    if (!connected(iceState) && !dtlsConnected) {
                        if (held.size() < HELD_TRANSMIT_LIMIT) {
                            held.add(t.datagram()); // started early as the server: no route yet
                        } else {
                            dropped++;
                        }
                    } else {
                        datagramsSent++;
                        bytesSent += t.datagram().length;
                        out.add(new PeerOutput.Transmit(t.datagram()));
                    }
                }
                case DtlsOutput.DtlsConnected c -> {
                    any = true;
                    dtlsConnected = true;
                    if (!closed) {
                        sctp.connect(now); // RFC 8841: both sides may send INIT; SCTP resolves the collision
                    }
                }
                case DtlsOutput.ApplicationDataReceived a -> {
                    any = true;
                    if (!closed) {
                        sctp.handleInput(now, a.data());
                    }
                }
                case DtlsOutput.DtlsClosed c -> {
                    any = true;
                    if (c.byPeer()) {
                        dtlsClosedByPeer = true;
                        failure = "the peer closed DTLS (close_notify)";
                        channels.closeAll(out::add);
                    }
                }
                case DtlsOutput.DtlsFailed f -> {
                    any = true;
                    dtlsFailed = true;
                    failure = "DTLS failed: " + f.reason() + f.alert().map(a -> " (" + a + ")").orElse("");
                    channels.closeAll(out::add);
                }
            }
        }
        return any;
    }

    /** W3C §4.3.3 RTCPeerConnectionState from the ICE and DTLS transport states. */
    private void updateConnectionState() {
        RtcPeerConnectionState s;
        if (closed) {
            s = RtcPeerConnectionState.CLOSED;
        } else if (iceState == IceConnectionState.FAILED || dtlsFailed) {
            s = RtcPeerConnectionState.FAILED;
            if (iceState == IceConnectionState.FAILED && !dtlsFailed) {
                failure = "ICE failed";
            }
        } else if (iceState == IceConnectionState.DISCONNECTED || dtlsClosedByPeer) {
            s = RtcPeerConnectionState.DISCONNECTED;
            if (!dtlsClosedByPeer) {
                failure = "ICE disconnected";
            }
        } else if (connected(iceState) && dtlsConnected) {
            s = RtcPeerConnectionState.CONNECTED;
        } else if (iceState == IceConnectionState.NEW && !dtlsStarted) {
            s = RtcPeerConnectionState.NEW;
        } else {
            s = RtcPeerConnectionState.CONNECTING;
        }
        setConnectionState(s, s == RtcPeerConnectionState.FAILED || s == RtcPeerConnectionState.DISCONNECTED ? failure : "");
    }

    private void setConnectionState(RtcPeerConnectionState s, String reason) {
        if (s != connectionState) {
            connectionState = s;
            out.add(new PeerEvent.ConnectionStateChanged(s, reason));
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the peer connection is closed (W3C InvalidStateError)");
        }
    }
}
