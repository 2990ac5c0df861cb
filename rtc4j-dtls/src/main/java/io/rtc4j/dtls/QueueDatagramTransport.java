package io.rtc4j.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.tls.DatagramTransport;

/**
 * The datagram transport BouncyCastle's blocking DTLS reads from and writes to: receives come from a bounded
 * queue the driver fills ({@link #offer}), sends go to a sink that turns them into {@link DtlsOutput.Transmit}.
 * Only the handshake thread blocks here, never the driver.
 *
 * <p>During the handshake BouncyCastle writes one record per handshake message; they are packed into as few
 * datagrams as fit {@link #getSendLimit()} (RFC 6347 §4.1.1 allows several records per datagram), and a flight
 * goes out when BouncyCastle next waits to receive ({@link #flush} otherwise), as BoringSSL sends a flight in
 * one datagram: one hand-off and one wakeup per flight on each side instead of five.
 */
final class QueueDatagramTransport implements DatagramTransport {
    private static final byte[] CLOSED = new byte[0];

    private final LinkedBlockingQueue<byte[]> inbound;
    private final Consumer<byte[]> sink;
    private final int sendLimit;
    private volatile boolean closed;
    private volatile boolean coalescing = true;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    QueueDatagramTransport(int queueLimit, int sendLimit, Consumer<byte[]> sink) {
        this.inbound = new LinkedBlockingQueue<>(queueLimit);
        this.sendLimit = sendLimit;
        this.sink = sink;
    }

    /** Driver side: false if the queue is full or the transport closed (the caller counts a drop). */
    boolean offer(byte[] datagram) {
        return !closed && inbound.offer(datagram);
    }

    @Override
    public int getReceiveLimit() {
        return DtlsRecordSniffer.MAX_RECORD_BODY + DtlsRecordSniffer.RECORD_HEADER_LENGTH;
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    /** Waits up to {@code waitMillis} (BouncyCastle's retransmission timer) for a datagram; -1 on timeout. */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        if (closed) {
            throw new IOException("DTLS transport closed");
        }
        flush(); // BouncyCastle waits for the peer: its flight is complete
        byte[] d;
        try {
            d = waitMillis <= 0 ? inbound.poll() : inbound.poll(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DTLS handshake thread interrupted");
        }
        if (d == null) {
            return -1;
        }
        if (d == CLOSED) {
            throw new IOException("DTLS transport closed");
        }
        int n = Math.min(len, d.length);
        System.arraycopy(d, 0, buf, off, n);
        return n;
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            return; // e.g. an alert BouncyCastle raises while we tear down: nobody to send it to
        }
        synchronized (pending) {
            if (coalescing) {
                if (pending.size() > 0 && pending.size() + len > sendLimit) {
                    flushLocked();
                }
                pending.write(buf, off, len);
                return;
            }
        }
        byte[] copy = new byte[len];
        System.arraycopy(buf, off, copy, 0, len);
        sink.accept(copy);
    }

    /** Sends the records packed so far as one datagram. */
    void flush() {
        synchronized (pending) {
            flushLocked();
        }
    }

    /** The handshake is over (or failed): flushes, and from now on every record goes out at once. */
    void stopCoalescing() {
        synchronized (pending) {
            flushLocked();
            coalescing = false;
        }
    }

    private void flushLocked() {
        if (pending.size() > 0 && !closed) {
            sink.accept(pending.toByteArray());
        }
        pending.reset();
    }

    /** Wakes and ends the handshake thread's wait; later sends are discarded. */
    @Override
    public void close() {
        stopCoalescing(); // BouncyCastle closes after writing a fatal alert: that alert still goes out
        if (!closed) {
            closed = true;
            inbound.clear();
            inbound.offer(CLOSED);
        }
    }

    boolean isClosed() {
        return closed;
    }
}
