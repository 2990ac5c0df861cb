package io.rtc4j.dtls;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;

/**
 * One DTLS 1.2 association for WebRTC (RFC 6347, RFC 5764, RFC 8122, RFC 8827) in the engine shape: datagrams
 * in through {@link #handleInput}, datagrams and events out through {@link #pollOutput}.
 *
 * <h2>How the blocking handshake is hidden</h2>
 *
 * BouncyCastle's DTLS is blocking: {@code DTLSClientProtocol.connect} and {@code DTLSTransport.receive} wait on a
 * {@code DatagramTransport}. This endpoint runs them on one thread of its own (a virtual thread by default,
 * from {@link DtlsConfig#threadFactory()}) over a queue-backed transport:
 *
 * <ul>
 *   <li>{@link #handleInput} only checks the record framing and enqueues the datagram; it never waits. The
 *       hidden thread takes it, runs the handshake or decrypts, and queues {@link DtlsOutput.Transmit} and
 *       events. So outputs appear <em>asynchronously</em>, shortly after an input, not during the call.
 *   <li>To learn of them without polling in a loop, give a wakeup callback ({@link #onOutputReady}). It is
 *       called (on the hidden thread, or on the caller's for {@link #send}/{@link #close}) each time an output
 *       is queued; it must be cheap and must not call back into the endpoint: e.g. post a task to the driver's
 *       event loop, which then drains {@link #pollOutput} until {@link DtlsOutput.Timeout}.
 *   <li>{@link #send} encrypts on the caller's thread and queues the record at once.
 *   <li>Once connected with an AEAD suite, application data no longer crosses to the hidden thread at all
 *       ({@link ApplicationRecords}, unless {@link DtlsConfig#ownRecordLayer()} is off): {@link #handleInput}
 *       opens application_data records on the caller's thread and queues what they carry before it returns, and
 *       {@link #send} protects with the same keys. Alerts and handshake records still go to BouncyCastle.
 *   <li>BouncyCastle times its own flight retransmissions (RFC 6347 §4.2.4) on the wall clock inside the
 *       hidden thread, starting at {@link DtlsConfig#initialRetransmitTimeout()} and doubling. The handshake
 *       deadline is also given out as {@link DtlsOutput.Timeout} in the driver's time: {@link #handleTimeout}
 *       fails the association when it has passed.
 * </ul>
 *
 * <p>Records that arrive before {@link #start} (a browser's ClientHello often overtakes our ICE connected
 * event) are kept, up to {@link DtlsConfig#earlyDatagramLimit()}, and handed to the handshake when it starts.
 * Malformed datagrams are counted ({@link #dropped}) and dropped; nothing from the network throws.
 *
 * <p>Outputs a driver method queues on the caller's thread are ready when it returns and do not call the wakeup
 * callback: drain {@link #pollOutput} after every call. The callback announces only what the hidden thread
 * queues.
 *
 * <p>Driver methods ({@code start, handleInput, handleTimeout, pollOutput, send, close}) are meant for one
 * thread at a time (the driver's); the endpoint is safe against its own hidden thread, not against two drivers.
 */
public final class DtlsEndpoint implements AutoCloseable {
    private enum State {
        NEW,
        HANDSHAKING,
        CONNECTED,
        CLOSED,
        FAILED
    }

    private final DtlsConfig config;
    private final ConcurrentLinkedQueue<DtlsOutput> outputs = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<byte[]> early = new ArrayDeque<>();
    private final QueueDatagramTransport transport;
    private final HandshakePolicy policy;
    /** Server only: keeps a ChangeCipherSpec from overtaking a lost CertificateVerify (see the class). */
    private final ClientFlightGuard clientFlight = new ClientFlightGuard();
    /** Application data that overtakes our handshake's end, kept for after it (driver thread only). */
    private final EarlyApplicationData earlyApplicationData = new EarlyApplicationData();
    private final AtomicLongArray drops = new AtomicLongArray(DtlsDropReason.values().length);
    /** Guards state changes with the event that announces them, so events keep the order of the changes. */
    private final Object stateLock = new Object();
    private boolean finished;
    private final ReentrantLock sendLock = new ReentrantLock();
    private volatile State state = State.NEW;
    private volatile Runnable wakeup = () -> {};
    private volatile DTLSTransport dtls;
    /** Epoch 1 on our side of the hand-over; written under sendLock, read by the driver. */
    private volatile ApplicationRecords records;
    /** Highest epoch-1 sequence number BouncyCastle wrote before the hand-over (under sendLock). */
    private long bouncyCastleEpoch1Sequence = -1;
    private volatile boolean closeNotifyReceived;
    private volatile boolean closing;
    private Instant handshakeDeadline = Instant.MAX;
    private Thread thread;

    public DtlsEndpoint(DtlsConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.transport = new QueueDatagramTransport(config.inboundQueueLimit(), config.maxDatagramSize(), this::emitTransmit);
        this.policy = new HandshakePolicy(config, new HandshakeBcRecordJceCrypto(config.random()));
    }

    /** Sets the callback run whenever an output is queued (see the class comment); replaces the previous one. */
    public void onOutputReady(Runnable callback) {
        this.wakeup = Objects.requireNonNull(callback, "callback");
    }

    public DtlsRole role() {
        return config.role();
    }

    /**
     * Starts the handshake: call when ICE reports connected. The client sends its ClientHello; the server
     * answers the ClientHello if one is already buffered, else waits for it. Call once.
     */
    public void start(Instant now) {
        if (state != State.NEW) {
            throw new IllegalStateException("start() called in state " + state);
        }
        handshakeDeadline = now.plus(config.handshakeTimeout());
        state = State.HANDSHAKING;
        while (!early.isEmpty()) {
            enqueueHandshake(early.pollFirst());
        }
        thread = config.threadFactory().newThread(this::run);
        thread.start();
    }

    /** Feeds one datagram received from the peer (the array is copied). Never throws on bad content. */
    public void handleInput(Instant now, byte[] datagram) {
        handleInput(now, datagram, 0, datagram.length);
    }

    /** Feeds {@code datagram[off, off+len)}; see {@link #handleInput(Instant, byte[])}. */
    public void handleInput(Instant now, byte[] datagram, int off, int len) {
        Optional<DtlsDropReason> bad = DtlsRecordSniffer.check(datagram, off, len);
        if (bad.isPresent()) {
            drop(bad.get());
            return;
        }
        ApplicationRecords r = records;
        if (r != null && state == State.CONNECTED) {
            releaseEarlyApplicationData();
            openApplicationData(r, datagram, off, len);
            return;
        }
        byte[] copy = Arrays.copyOfRange(datagram, off, off + len);
        switch (state) {
            case NEW -> {
                if (early.size() < config.earlyDatagramLimit()) {
                    early.addLast(copy);
                } else {
                    drop(DtlsDropReason.EARLY_BUFFER_FULL);
                }
            }
            case HANDSHAKING -> enqueueHandshake(copy);
            case CONNECTED -> enqueue(copy);
            case CLOSED, FAILED -> drop(DtlsDropReason.AFTER_CLOSE);
        }
    }

    /** Fails the association if the handshake deadline has passed. */
    public void handleTimeout(Instant now) {
        if (state == State.HANDSHAKING && !now.isBefore(handshakeDeadline)) {
            fail("DTLS handshake timed out after " + config.handshakeTimeout(), Optional.empty());
        }
    }

    /** The next output, or {@link DtlsOutput.Timeout} when none is queued right now. */
    public DtlsOutput pollOutput() {
        if (earlyApplicationData.any() && state == State.CONNECTED) {
            releaseEarlyApplicationData();
        }
        DtlsOutput o = outputs.poll();
        if (o != null) {
            return o;
        }
        return new DtlsOutput.Timeout(state == State.HANDSHAKING ? handshakeDeadline : Instant.MAX);
    }

    /**
     * Encrypts {@code data} as one application_data record and queues its {@link DtlsOutput.Transmit}. Only
     * once connected (after {@link DtlsOutput.DtlsConnected}); 1 to {@link #maxApplicationDataSize()} bytes.
     */
    public void send(byte[] data) {
        send(data, 0, data.length);
    }

    public void send(byte[] data, int off, int len) {
        DTLSTransport t = dtls;
        if (state != State.CONNECTED || t == null) {
            throw new IllegalStateException("DTLS is not connected (" + state + ")");
        }
        Objects.checkFromIndexSize(off, len, data.length);
        int limit = maxApplicationDataSize();
        if (len == 0) {
            throw new IllegalArgumentException("empty application data (BouncyCastle cannot send an empty record)");
        }
        if (len > limit) {
            throw new IllegalArgumentException(len + " bytes exceed the record limit of " + limit);
        }
        sendLock.lock();
        try {
            ApplicationRecords r = records;
            if (r != null) {
                emit(new DtlsOutput.Transmit(r.seal(ApplicationRecords.APPLICATION_DATA, data, off, len)));
            } else {
                t.send(data, off, len);
            }
        } catch (IOException e) {
            fail("DTLS send failed: " + e.getMessage(), alertOf(e));
        } finally {
            sendLock.unlock();
        }
    }

    /** The largest application payload one record carries within {@link DtlsConfig#maxDatagramSize()}. */
    public int maxApplicationDataSize() {
        DTLSTransport t = dtls;
        if (t == null) {
            throw new IllegalStateException("DTLS is not connected (" + state + ")");
        }
        ApplicationRecords r = records;
        if (r != null) {
            return Math.min(1 << 14, config.maxDatagramSize() - r.overhead()); // RFC 6347 §4.1: 2^14 plaintext
        }
        try {
            return t.getSendLimit();
        } catch (IOException e) {
            throw new IllegalStateException("DTLS transport failed", e);
        }
    }

    /** Sends close_notify if connected (RFC 5246 §7.2.1) and ends the association; idempotent. */
    @Override
    public void close() {
        State s = state;
        if (s == State.CLOSED || s == State.FAILED) {
            return;
        }
        closing = true;
        DTLSTransport t = dtls;
        if (s == State.CONNECTED && t != null) {
            sendLock.lock();
            try {
                t.close(); // queues close_notify through the transport, then closes it
            } catch (IOException e) {
                // The peer learns of the close by silence; we are closed either way.
            } finally {
                sendLock.unlock();
            }
        }
        transport.close();
        finish(State.CLOSED, new DtlsOutput.DtlsClosed(false));
    }

    /** True once application data runs on {@link ApplicationRecords} rather than BouncyCastle's record layer. */
    boolean ownRecordLayerActive() {
        return records != null;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    /** Datagrams dropped for {@code reason} so far. */
    public long dropped(DtlsDropReason reason) {
        return drops.get(reason.ordinal());
    }

    /** Datagrams dropped for any reason so far. */
    public long droppedTotal() {
        long sum = 0;
        for (int i = 0; i < drops.length(); i++) {
            sum += drops.get(i);
        }
        return sum;
    }

    // ---- hidden thread ----

    private void run() {
        try {
            DTLSTransport t;
            if (config.role() == DtlsRole.CLIENT) {
                WebRtcDtlsClient client = new WebRtcDtlsClient(policy, this::closeNotifyReceivedCallback);
                t = new DTLSClientProtocol().connect(client, transport);
            } else {
                WebRtcDtlsServer server = new WebRtcDtlsServer(policy, this::closeNotifyReceivedCallback);
                DTLSServerProtocol protocol = new DTLSServerProtocol();
                // ICE consent already proved the peer's address; a cookie round trip (RFC 6347 §4.2.1) only adds
                // latency, and browsers skip it too.
                protocol.setVerifyRequests(false);
                t = protocol.accept(server, transport);
            }
            transport.stopCoalescing(); // the last flight (ours, or none) goes now; records from here on at once
            connected(t);
            receiveLoop(t);
        } catch (TlsFatalAlertReceived e) {
            transport.stopCoalescing();
            fail("peer sent fatal alert " + new DtlsAlert(e.getAlertDescription(), true).name(),
                    Optional.of(new DtlsAlert(e.getAlertDescription(), true)));
        } catch (TlsFatalAlert e) {
            transport.stopCoalescing(); // the fatal alert BouncyCastle wrote goes out
            fail("DTLS failed: " + describe(e), Optional.of(new DtlsAlert(e.getAlertDescription(), false)));
        } catch (IOException | RuntimeException e) {
            transport.stopCoalescing();
            if (closeNotifyReceived) {
                finish(State.CLOSED, new DtlsOutput.DtlsClosed(true));
            } else if (!closing) {
                fail("DTLS failed: " + describe(e), Optional.empty());
            }
        }
    }

    private void connected(DTLSTransport t) {
        SrtpProfile profile = policy.selectedProfile();
        Optional<SrtpKeyingMaterial> keys = Optional.ofNullable(policy.keyingMaterial());
        DtlsFingerprint remote = DtlsFingerprint.of("sha-256", policy.remoteCertificate());
        int suite = policy.cipherSuite();
        RecordKeys recordKeys = policy.recordKeys();
        if (recordKeys != null) {
            sendLock.lock();
            try {
                records = new ApplicationRecords(recordKeys, config.role(), bouncyCastleEpoch1Sequence + 1);
            } finally {
                sendLock.unlock();
            }
        }
        dtls = t;
        synchronized (stateLock) {
            if (state != State.HANDSHAKING) {
                return; // closed or timed out meanwhile
            }
            state = State.CONNECTED;
            outputs.add(new DtlsOutput.DtlsConnected(Optional.ofNullable(profile), keys, remote, suite));
        }
        wake();
    }

    private void receiveLoop(DTLSTransport t) throws IOException {
        byte[] buf = new byte[t.getReceiveLimit()];
        // Ends when the transport closes (close(), close_notify, failure): receive then throws or returns -1.
        while (state == State.CONNECTED) {
            int n = t.receive(buf, 0, buf.length, 30_000);
            if (n >= 0) {
                emit(new DtlsOutput.ApplicationDataReceived(Arrays.copyOf(buf, n)));
            } else if (closeNotifyReceived || transport.isClosed()) {
                if (closeNotifyReceived) {
                    finish(State.CLOSED, new DtlsOutput.DtlsClosed(true));
                }
                return;
            }
        }
    }

    private void closeNotifyReceivedCallback() {
        closeNotifyReceived = true;
    }

    // ---- shared ----

    private void enqueueHandshake(byte[] datagram) {
        if (config.ownRecordLayer()) {
            datagram = earlyApplicationData.keep(datagram, () -> drop(DtlsDropReason.QUEUE_FULL));
            if (datagram == null) {
                return;
            }
        }
        if (config.role() == DtlsRole.CLIENT) {
            enqueue(datagram);
            return;
        }
        for (byte[] d : clientFlight.admit(datagram)) {
            enqueue(d);
        }
    }

    /** Driver thread, once connected: the application data kept during the handshake, in arrival order. */
    private void releaseEarlyApplicationData() {
        ApplicationRecords r = records;
        earlyApplicationData.release(record -> {
            if (r != null) {
                openApplicationData(r, record, 0, record.length);
            } else {
                enqueue(record); // a suite we do not protect ourselves: BouncyCastle reads it now it is done
            }
        });
    }

    private void enqueue(byte[] datagram) {
        if (!transport.offer(datagram)) {
            drop(transport.isClosed() ? DtlsDropReason.AFTER_CLOSE : DtlsDropReason.QUEUE_FULL);
        }
    }

    private void drop(DtlsDropReason reason) {
        drops.incrementAndGet(reason.ordinal());
    }

    /** Application data records of a connected association with our own record layer; others go to BouncyCastle. */
    private void openApplicationData(ApplicationRecords r, byte[] datagram, int off, int len) {
        int end = off + len;
        java.io.ByteArrayOutputStream rest = null;
        for (int p = off; p < end; ) { // framing was checked: every record fits
            int recordLength = RecordCipher.HEADER + (((datagram[p + 11] & 0xFF) << 8) | (datagram[p + 12] & 0xFF));
            if ((datagram[p] & 0xFF) == ApplicationRecords.APPLICATION_DATA
                    && ApplicationRecords.epoch(datagram, p) == ApplicationRecords.EPOCH) {
                byte[] plain = r.open(datagram, p);
                if (plain != null) {
                    emit(new DtlsOutput.ApplicationDataReceived(plain));
                } else {
                    drop(r.lastWasReplay() ? DtlsDropReason.REPLAYED : DtlsDropReason.AUTHENTICATION_FAILED);
                }
            } else {
                if (rest == null) {
                    rest = new java.io.ByteArrayOutputStream(len);
                }
                rest.write(datagram, p, recordLength);
            }
            p += recordLength;
        }
        if (rest != null) {
            enqueue(rest.toByteArray());
        }
    }

    /** Every datagram BouncyCastle writes (hidden thread, or the caller's for close) passes here. */
    private void emitTransmit(byte[] datagram) {
        sendLock.lock();
        try {
            ApplicationRecords r = records;
            if (r == null) {
                bouncyCastleEpoch1Sequence = ApplicationRecords.highestEpoch1Sequence(datagram, bouncyCastleEpoch1Sequence);
                emit(new DtlsOutput.Transmit(datagram));
            } else {
                emit(new DtlsOutput.Transmit(r.resequence(datagram)));
            }
        } finally {
            sendLock.unlock();
        }
    }

    /** Queues an output; wakes the driver only if the hidden thread queued it (the caller drains its own). */
    private void emit(DtlsOutput output) {
        outputs.add(output);
        if (Thread.currentThread() == thread) {
            wake();
        }
    }

    private void wake() {
        try {
            wakeup.run();
        } catch (RuntimeException e) {
            // A faulty callback must not kill the handshake thread; the driver still finds the output by polling.
        }
    }

    private void fail(String reason, Optional<DtlsAlert> alert) {
        finish(State.FAILED, new DtlsOutput.DtlsFailed(reason, alert));
    }

    /**
     * Emits exactly one terminal event per association, then closes the transport (which ends the hidden
     * thread: whatever it reports afterwards loses the race by design).
     */
    private void finish(State terminal, DtlsOutput event) {
        boolean first;
        synchronized (stateLock) {
            first = !finished;
            if (first) {
                finished = true;
                state = terminal;
                outputs.add(event);
            }
        }
        if (first) {
            wake();
        }
        transport.close();
    }

    /** The message and its causes, short: what a log line or a failed test needs to say why. */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable c = e.getCause();
        for (int depth = 0; c != null && depth < 4; depth++, c = c.getCause()) {
            b.append(" <- ").append(c);
        }
        return b.toString();
    }

    private static Optional<DtlsAlert> alertOf(IOException e) {
        if (e instanceof TlsFatalAlertReceived r) {
            return Optional.of(new DtlsAlert(r.getAlertDescription(), true));
        }
        if (e instanceof TlsFatalAlert a) {
            return Optional.of(new DtlsAlert(a.getAlertDescription(), false));
        }
        return Optional.empty();
    }
}
