package io.rtc4j.dtls;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Jazzer target for the one parser rtc4j runs on untrusted bytes before BouncyCastle (and the first thing
 * {@link DtlsEndpoint#handleInput} does): the record framing check. Any bytes give a verdict, never an
 * exception; an accepted datagram is an exact sequence of DTLS 1.0/1.2 records and no truncation of it is
 * accepted. (BouncyCastle itself stays out of the target: under Jazzer's hooks its key generation alone takes
 * tens of seconds.) Runs its seeds as a regression test; JAZZER_FUZZ=1 fuzzes for real.
 */
class DtlsRecordSnifferFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void sniff(byte[] input) {
        if (input == null) {
            return;
        }
        Optional<DtlsDropReason> verdict = DtlsRecordSniffer.check(input, 0, input.length);
        if (verdict.isEmpty()) {
            int p = 0;
            int records = 0;
            while (p < input.length) {
                int type = input[p] & 0xFF;
                if (type < 20 || type > 24 || (input[p + 1] & 0xFF) != 0xFE) {
                    throw new AssertionError("accepted a record of type " + type);
                }
                p += DtlsRecordSniffer.RECORD_HEADER_LENGTH + (((input[p + 11] & 0xFF) << 8) | (input[p + 12] & 0xFF));
                records++;
            }
            if (p != input.length || records == 0) {
                throw new AssertionError("records do not tile the datagram");
            }
            if (DtlsRecordSniffer.check(input, 0, input.length - 1).isEmpty()) {
                throw new AssertionError("a truncated datagram was accepted");
            }
        }
    }
}
