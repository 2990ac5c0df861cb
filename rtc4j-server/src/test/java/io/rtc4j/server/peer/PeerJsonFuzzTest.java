package io.rtc4j.server.peer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Map;
import java.util.Optional;

/**
 * Jazzer target for the body of {@code POST /offer}, the one decoder {@code rtc4j peer answer} exposes to the
 * network: any text parses or is rejected as empty, never throws; a parsed object written back parses equal.
 */
class PeerJsonFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void parse(String input) {
        Optional<Map<String, String>> m = PeerJson.parseFlatObject(input);
        if (m.isEmpty() || !m.get().containsKey("sdp") || !m.get().containsKey("type")) {
            return;
        }
        String again = PeerJson.description(m.get().get("type"), m.get().get("sdp"));
        Map<String, String> back = PeerJson.parseFlatObject(again).orElseThrow(() -> new AssertionError("re-encoded does not parse: " + again));
        if (!back.get("sdp").equals(m.get().get("sdp")) || !back.get("type").equals(m.get().get("type"))) {
            throw new AssertionError("round trip changed the description");
        }
    }
}
