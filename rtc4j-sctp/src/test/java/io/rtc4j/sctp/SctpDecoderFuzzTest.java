package io.rtc4j.sctp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Jazzer target: any bytes either decode (zero checksums accepted, so the fuzzer reaches every chunk decoder) or
 * raise SctpParseException, a decoded packet re-encodes stably, and an association never throws on any input.
 * Runs its seed corpus as a regression test; JAZZER_FUZZ=1 fuzzes.
 */
class SctpDecoderFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        try {
            SctpPacket p = SctpCodec.decode(input, 0, input.length, true);
            byte[] once = SctpCodec.encode(p, true);
            byte[] twice = SctpCodec.encode(SctpCodec.decode(once, 0, once.length, true), true);
            if (!java.util.Arrays.equals(once, twice)) {
                throw new AssertionError("re-encoding is not stable: " + p);
            }
        } catch (SctpParseException e) {
            // a counted drop in the engine
        }
        SctpAssociation a = new SctpAssociation(SctpConfig.builder().zeroChecksum(true).build(),
                new SplittableRandom(1));
        Instant now = Instant.EPOCH;
        a.handleInput(now, input);
        a.handleTimeout(now.plusSeconds(1));
        for (int i = 0; i < 10_000; i++) {
            if (a.pollOutput() instanceof SctpOutput.Timeout) {
                return;
            }
        }
        throw new AssertionError("output never ended");
    }
}
