package io.rtc4j.dtls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Epoch-1 application data that arrives while our handshake is finishing: the peer is done first and sends at
 * once (e.g. its SCTP INIT), or that record overtakes its Finished. BouncyCastle drops application data during
 * a handshake, so such records wait here and are opened once we are connected. Bounded by {@link #LIMIT}
 * records; framing is already checked ({@link DtlsRecordSniffer}). One thread (the driver's) uses it.
 */
final class EarlyApplicationData {
    static final int LIMIT = 64;

    private final ArrayDeque<byte[]> kept = new ArrayDeque<>();

    /**
     * Takes the epoch-1 application_data records out of {@code datagram} (each beyond the limit is dropped and
     * reported to {@code dropped}); returns what is left for the handshake, or null if nothing is.
     */
    byte[] keep(byte[] datagram, Runnable dropped) {
        ByteArrayOutputStream rest = null;
        for (int p = 0; p < datagram.length; ) {
            int length = RecordCipher.HEADER + (((datagram[p + 11] & 0xFF) << 8) | (datagram[p + 12] & 0xFF));
            boolean appData = (datagram[p] & 0xFF) == ApplicationRecords.APPLICATION_DATA
                    && ApplicationRecords.epoch(datagram, p) >= ApplicationRecords.EPOCH;
            if (appData && rest == null) {
                rest = new ByteArrayOutputStream(datagram.length);
                rest.write(datagram, 0, p);
            }
            if (appData) {
                if (kept.size() < LIMIT) {
                    kept.add(Arrays.copyOfRange(datagram, p, p + length));
                } else {
                    dropped.run();
                }
            } else if (rest != null) {
                rest.write(datagram, p, length);
            }
            p += length;
        }
        if (rest == null) {
            return datagram;
        }
        return rest.size() == 0 ? null : rest.toByteArray();
    }

    boolean any() {
        return !kept.isEmpty();
    }

    /** Hands every kept record to {@code sink}, in arrival order, and forgets them. */
    void release(Consumer<byte[]> sink) {
        while (!kept.isEmpty()) {
            sink.accept(kept.poll());
        }
    }
}
