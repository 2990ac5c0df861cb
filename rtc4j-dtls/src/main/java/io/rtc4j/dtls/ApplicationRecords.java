package io.rtc4j.dtls;

import java.io.ByteArrayOutputStream;

/**
 * Epoch 1 of an established DTLS 1.2 association, run by the endpoint on the driver's thread: application data
 * is protected and opened here, with the keys the handshake agreed, instead of crossing to BouncyCastle's
 * hidden thread for every record.
 *
 * <h2>One sequence space with BouncyCastle</h2>
 *
 * BouncyCastle still owns the handshake and alerts, and may write epoch-1 records after the hand-over (a
 * retransmitted Finished flight, close_notify). Every datagram it writes passes through
 * {@link #trackOrResequence}: before the hand-over we note its highest epoch-1 sequence number, and our counter
 * starts after it; afterwards we re-protect its epoch-1 records under our counter. So sequence numbers are never
 * reused under one key (RFC 6347 §4.1, RFC 5288 §3: nonce uniqueness) and never go backwards, which the peer's
 * replay window (RFC 6347 §4.1.2.6) would punish.
 *
 * <p>Received epoch-1 application data is opened here, checked against our own replay window, and never
 * reaches BouncyCastle; other records (alerts, handshake retransmissions) still go to it and are read with its
 * own state. Not thread-safe: the endpoint holds its send lock for the writing side and calls the reading side
 * from the driver thread only.
 */
final class ApplicationRecords {
    static final int APPLICATION_DATA = 23;
    static final int EPOCH = 1;
    /** RFC 6347 §4.1: sequence numbers are 48 bits; the association must end before they wrap. */
    static final long MAX_SEQUENCE = (1L << 48) - 1;

    private final RecordCipher writer;
    private final RecordCipher reader;
    private final ReplayWindow window = new ReplayWindow();
    private long nextSequence;
    private boolean replay;

    ApplicationRecords(RecordKeys keys, DtlsRole role, long firstSequence) {
        this.writer = keys.writer(role);
        this.reader = keys.reader(role);
        this.nextSequence = firstSequence;
    }

    int overhead() {
        return writer.overhead();
    }

    /** One protected record of {@code type} carrying {@code data[off, off+len)} under the next sequence number. */
    byte[] seal(int type, byte[] data, int off, int len) {
        if (nextSequence > MAX_SEQUENCE) {
            throw new IllegalStateException("DTLS epoch 1 sequence numbers exhausted");
        }
        long seq = nextSequence++;
        return writer.seal(type, ((long) EPOCH << 48) | seq, data, off, len);
    }

    /**
     * The record's plaintext, or null if it is a replay (and not opened) or does not authenticate (a forgery);
     * the caller counts which by {@link #lastWasReplay}.
     */
    byte[] open(byte[] datagram, int off) {
        long seq = RecordCipher.getLong(datagram, off + 5, 6);
        replay = !window.isFresh(seq);
        if (replay) {
            return null;
        }
        byte[] plain = reader.open(datagram, off);
        if (plain != null) {
            window.mark(seq); // only authenticated records move the window (RFC 6347 §4.1.2.6)
        }
        return plain;
    }

    boolean lastWasReplay() {
        return replay;
    }

    /** Re-protects BouncyCastle's epoch-1 records in {@code datagram} under our counter; others pass as they are. */
    byte[] resequence(byte[] datagram) {
        if (!hasEpoch1Record(datagram)) {
            return datagram;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(datagram.length);
        for (int p = 0; p + RecordCipher.HEADER <= datagram.length; ) {
            int recordLength = RecordCipher.HEADER + (int) RecordCipher.getLong(datagram, p + 11, 2);
            if (epoch(datagram, p) == EPOCH) {
                byte[] plain = writer.open(datagram, p); // our own write key: BouncyCastle's record, our suite
                if (plain == null) {
                    throw new IllegalStateException("BouncyCastle's epoch-1 record does not open with the derived key");
                }
                out.writeBytes(seal(datagram[p] & 0xFF, plain, 0, plain.length));
            } else {
                out.write(datagram, p, recordLength);
            }
            p += recordLength;
        }
        return out.toByteArray();
    }

    /** Before the hand-over: the highest epoch-1 sequence number in {@code datagram}, or {@code max} if higher. */
    static long highestEpoch1Sequence(byte[] datagram, long max) {
        for (int p = 0; p + RecordCipher.HEADER <= datagram.length; ) {
            if (epoch(datagram, p) == EPOCH) {
                max = Math.max(max, RecordCipher.getLong(datagram, p + 5, 6));
            }
            p += RecordCipher.HEADER + (int) RecordCipher.getLong(datagram, p + 11, 2);
        }
        return max;
    }

    static int epoch(byte[] datagram, int recordOffset) {
        return (int) RecordCipher.getLong(datagram, recordOffset + 3, 2);
    }

    private static boolean hasEpoch1Record(byte[] datagram) {
        return highestEpoch1Sequence(datagram, -1) >= 0;
    }
}
