package io.rtc4j.peer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for ICE server URL parsing (RFC 7064/7065): any text parses, and then its canonical form parses
 * to the same value, or raises IllegalArgumentException; nothing else.
 */
class IceServerUrlFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        IceServerUrl u;
        try {
            u = IceServerUrl.parse(text);
        } catch (IllegalArgumentException expected) {
            return;
        }
        IceServerUrl back = IceServerUrl.parse(u.toString());
        if (!back.equals(u)) {
            throw new AssertionError("canonical form differs: " + text + " -> " + u + " -> " + back);
        }
    }
}
