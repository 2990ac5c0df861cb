package io.rtc4j.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Jazzer target: any bytes either decode or raise StunParseException; a decoded message re-encodes and
 * decodes to the same attributes. Runs its seed corpus as a regression test; JAZZER_FUZZ=1 fuzzes.
 */
class StunDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        StunMessage m;
        try {
            m = StunCodec.decode(ByteBuffer.wrap(input));
        } catch (StunParseException e) {
            return;
        }
        m.unknownComprehensionRequired();
        m.verifyIntegrity(new byte[] {1});
        byte[] again = StunCodec.encode(m, StunProtection.NONE);
        try {
            StunMessage back = StunCodec.decode(ByteBuffer.wrap(again));
            var expected = m.attributes().stream()
                    .filter(a -> !(a instanceof MessageIntegrity || a instanceof MessageIntegritySha256 || a instanceof Fingerprint))
                    .toList();
            if (!back.attributes().equals(expected)) {
                throw new AssertionError("re-encoding changed the attributes: " + m + " vs " + back);
            }
        } catch (StunParseException e) {
            throw new AssertionError("re-encoded message does not decode: " + e.getMessage(), e);
        }
    }
}
