package io.rtc4j.dtls;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer target for what rtc4j now parses itself on a connected or handshaking association: opening epoch-1
 * application_data records ({@link ApplicationRecords}, every AEAD suite) and the server's hold-back of a
 * ChangeCipherSpec ({@link ClientFlightGuard}). Any datagram the framing check accepts is opened record by
 * record without an exception (a forgery is null), the guard hands back exactly the records it was given (held
 * ones later, none twice), and what we seal opens to the same bytes. Keys are made here, not by a handshake
 * (BouncyCastle stays out of the target, as in the sniffer's).
 */
class ApplicationRecordsFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void openGuardAndRoundTrip(FuzzedDataProvider data) {
        RecordSuite suite = RecordSuite.values()[data.consumeInt(0, RecordSuite.values().length - 1)];
        byte[] key = data.consumeBytes(suite.keyLength());
        byte[] iv = data.consumeBytes(suite.fixedIvLength());
        if (key.length != suite.keyLength() || iv.length != suite.fixedIvLength()) {
            return;
        }
        RecordKeys keys = new RecordKeys(suite, key, key.clone(), iv, iv.clone());
        ApplicationRecords sender = new ApplicationRecords(keys, DtlsRole.CLIENT, data.consumeLong(0, 1L << 40));
        ApplicationRecords receiver = new ApplicationRecords(keys, DtlsRole.SERVER, 0);
        byte[] plain = data.consumeBytes(data.consumeInt(0, 1500));
        byte[] sealed = sender.seal(ApplicationRecords.APPLICATION_DATA, plain, 0, plain.length);
        byte[] opened = receiver.open(sealed, 0);
        if (opened == null || !Arrays.equals(opened, plain)) {
            throw new AssertionError("a sealed record did not open to its plaintext");
        }
        if (receiver.open(sealed, 0) != null || !receiver.lastWasReplay()) {
            throw new AssertionError("a replay was accepted");
        }

        byte[] datagram = data.consumeRemainingAsBytes();
        if (DtlsRecordSniffer.check(datagram, 0, datagram.length).isPresent()) {
            return;
        }
        for (int p = 0; p < datagram.length; p += 13 + (((datagram[p + 11] & 0xFF) << 8) | (datagram[p + 12] & 0xFF))) {
            receiver.open(datagram, p); // null or bytes, never an exception
        }
        ClientFlightGuard guard = new ClientFlightGuard();
        List<byte[]> first = guard.admit(datagram);
        List<byte[]> second = guard.admit(datagram);
        int given = 2 * datagram.length;
        int handed = 0;
        for (byte[] d : first) {
            handed += d.length;
        }
        for (byte[] d : second) {
            handed += d.length;
        }
        if (handed + guard.heldBytes() + guard.droppedBytes() != given) {
            throw new AssertionError("the guard lost or invented bytes: given " + given + ", handed " + handed);
        }
    }
}
