package io.rtc4j.server.peer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Jazzer target for the response reader of {@code rtc4j peer offer}'s POST ({@link PeerHttpPost#read}): whatever
 * the answerer sends back, the outcome is a response within the bounds or an {@link IOException}, never another
 * exception.
 */
class PeerHttpPostFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void read(byte[] input) {
        try {
            PeerHttpPost.Read r = PeerHttpPost.read(new ByteArrayInputStream(input));
            if (r.response().body().length() > PeerHttpPost.MAX_BODY) {
                throw new AssertionError("body over the bound: " + r.response().body().length());
            }
        } catch (IOException e) {
            // malformed, truncated or over a bound: rejected with a reason
            if (e.getMessage() == null) {
                throw new AssertionError("an IOException without a reason", e);
            }
        }
    }
}
