package io.rtc4j.sctp.datachannel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtc4j.sctp.SctpParseException;

/** Jazzer target: DCEP bytes decode or raise SctpParseException; what decodes re-encodes to an equal message. */
class DcepDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        DcepMessage m;
        try {
            m = DcepCodec.decode(input);
        } catch (SctpParseException e) {
            return;
        }
        try {
            DcepMessage back = DcepCodec.decode(DcepCodec.encode(m));
            if (!back.equals(m)) {
                throw new AssertionError("re-encoding changed " + m + " to " + back);
            }
        } catch (SctpParseException e) {
            throw new AssertionError("re-encoded message does not decode: " + m, e);
        }
    }
}
