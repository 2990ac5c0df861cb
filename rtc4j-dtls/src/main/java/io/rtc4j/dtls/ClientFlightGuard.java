package io.rtc4j.dtls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Works around a BouncyCastle 1.84 DTLS server defect: when the client's CertificateVerify is lost but the
 * ChangeCipherSpec after it arrives, the server switches its read epoch (its keys are ready once
 * ClientKeyExchange is in) and then discards the retransmitted epoch-0 CertificateVerify for ever, so the
 * handshake never completes (RFC 6347 §4.2.4 expects the retransmitted flight to finish it). The server never
 * sees a ChangeCipherSpec before the CertificateVerify here: a ChangeCipherSpec, and every epoch-1 record
 * after it, is held back until a CertificateVerify has arrived, then handed over in order. WebRTC clients
 * always send one (RFC 8827 §6.5: both sides authenticate with certificates); a client that sends none fails
 * the fingerprint check before it gets this far. Bounded: beyond {@link #LIMIT} held records the oldest go.
 *
 * <p>Records are already framed ({@link DtlsRecordSniffer}); one thread (the driver's) calls this.
 */
final class ClientFlightGuard {
    static final int LIMIT = 32;
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int HANDSHAKE = 22;
    private static final int CERTIFICATE_VERIFY = 15;

    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private boolean certificateVerifySeen;
    private long dropped;
    private long droppedBytes;
    private int heldBytes;

    /** The datagrams to hand to BouncyCastle now, in order, for one datagram from the client. */
    List<byte[]> admit(byte[] datagram) {
        if (certificateVerifySeen) {
            return List.of(datagram);
        }
        ByteArrayOutputStream pass = new ByteArrayOutputStream(datagram.length);
        for (int p = 0; p + RecordCipher.HEADER <= datagram.length; ) {
            int length = RecordCipher.HEADER + (((datagram[p + 11] & 0xFF) << 8) | (datagram[p + 12] & 0xFF));
            int type = datagram[p] & 0xFF;
            int epoch = ApplicationRecords.epoch(datagram, p);
            if (type == HANDSHAKE && epoch == 0 && length > RecordCipher.HEADER && (datagram[p + 13] & 0xFF) == CERTIFICATE_VERIFY) {
                certificateVerifySeen = true;
            }
            if (!certificateVerifySeen && (type == CHANGE_CIPHER_SPEC || epoch >= 1)) {
                hold(java.util.Arrays.copyOfRange(datagram, p, p + length));
            } else {
                pass.write(datagram, p, length);
            }
            p += length;
        }
        List<byte[]> out = new ArrayList<>(1 + held.size());
        if (pass.size() > 0) {
            out.add(pass.toByteArray());
        }
        if (certificateVerifySeen) {
            while (!held.isEmpty()) {
                out.add(held.poll()); // after the CertificateVerify: the order they were sent in
            }
            heldBytes = 0;
        }
        return out;
    }

    /** Records dropped because more than {@link #LIMIT} were held. */
    long dropped() {
        return dropped;
    }

    long droppedBytes() {
        return droppedBytes;
    }

    /** Bytes of the records held now. */
    int heldBytes() {
        return heldBytes;
    }

    private void hold(byte[] record) {
        if (held.size() == LIMIT) {
            byte[] gone = held.poll();
            heldBytes -= gone.length;
            droppedBytes += gone.length;
            dropped++;
        }
        held.add(record);
        heldBytes += record.length;
    }
}
