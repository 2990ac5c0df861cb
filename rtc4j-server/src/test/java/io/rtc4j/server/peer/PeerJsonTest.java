package io.rtc4j.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerJsonTest {
    @Test
    void readsABrowserStyleDescriptionAndWritesItBack() {
        String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\na=x:\"q\" \\ \u00e9\t\r\n";
        String json = PeerJson.description("offer", sdp);
        assertThat(PeerJson.parseFlatObject(json)).contains(Map.of("type", "offer", "sdp", sdp));
        assertThat(PeerJson.parseFlatObject(" {\"type\" : \"answer\", \"n\": -1.5e3, \"b\": true, \"z\": null, \"u\": \"\\u0041\\/\"} "))
                .contains(Map.of("type", "answer", "n", "-1.5e3", "b", "true", "z", "null", "u", "A/"));
        assertThat(PeerJson.parseFlatObject("{}")).contains(Map.of());
    }

    @Test
    void rejectsWhatIsNotOneFlatObject() {
        for (String bad : new String[] {"", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":{}}", "{\"a\":[1]}",
                "{\"a\":\"x\"} x", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{\"a\":tru}", "{\"a\":01}", "{\"a\":\"\n\"}", "null"}) {
            assertThat(PeerJson.parseFlatObject(bad)).as(bad).isEmpty();
        }
        assertThat(PeerJson.parseFlatObject(null)).isEmpty();
        assertThat(PeerJson.parseFlatObject("{\"a\":\"" + "x".repeat(PeerJson.MAX_LENGTH) + "\"}")).isEmpty();
    }

    @Test
    void echoPayloadsAreDistinctAndTextIsPrintableAscii() {
        byte[] t = PeerEchoRun.payload(0, 1000, false);
        for (byte b : t) {
            assertThat(b).isBetween((byte) 0x20, (byte) 0x7e);
        }
        assertThat(PeerEchoRun.payload(1, 1000, true)).isNotEqualTo(PeerEchoRun.payload(3, 1000, true));
    }
}
