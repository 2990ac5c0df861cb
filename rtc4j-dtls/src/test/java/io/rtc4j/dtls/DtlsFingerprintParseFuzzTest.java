package io.rtc4j.dtls;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target for {@code a=fingerprint} values from remote SDP: any string parses or raises
 * IllegalArgumentException, and what parses prints back to a value that parses to the same fingerprint.
 */
class DtlsFingerprintParseFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void parse(String value) {
        if (value == null) {
            return; // a missing attribute is the caller's case, not the parser's
        }
        DtlsFingerprint f;
        try {
            f = DtlsFingerprint.parse(value);
        } catch (IllegalArgumentException e) {
            return;
        }
        DtlsFingerprint again = DtlsFingerprint.parse(f.toAttributeValue());
        if (!again.equals(f)) {
            throw new AssertionError("round trip changed " + f + " into " + again);
        }
    }
}
