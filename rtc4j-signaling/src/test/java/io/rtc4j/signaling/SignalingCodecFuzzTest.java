package io.rtc4j.signaling;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Jazzer target: any text decodes to a message or to an error code, never an exception; a decoded relay
 * (spliced from the sender's text, see {@link RelayScan}) is valid JSON equal to the tree encoding of the same
 * message (type, from, the other members in order), and the strict tree parser accepts every relay the fast
 * path accepted. Runs its seeds as a test; JAZZER_FUZZ=1 fuzzes.
 */
class SignalingCodecFuzzTest {
    private static final SignalingCodec CODEC = new SignalingCodec();

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) throws JacksonException {
        String text = new String(input, StandardCharsets.UTF_8);
        SignalingCodec.Decoded d = CODEC.decode(text);
        if (d instanceof SignalingCodec.Decoded.Ok ok && ok.message() instanceof ClientMessage.Relay r) {
            String out = CODEC.encode(new ServerMessage.Relayed(new PeerId("x"), r.kind(), r.members()));
            JsonNode got;
            try {
                got = CODEC.readTree(out);
            } catch (JacksonException e) {
                throw new AssertionError("relayed message is not JSON: " + out, e);
            }
            ObjectNode in = (ObjectNode) CODEC.readTree(text); // throws if the fast path was laxer
            ObjectNode want = JsonNodeFactory.instance.objectNode();
            want.set("type", in.get("type"));
            want.put("from", "x");
            for (Map.Entry<String, JsonNode> e : in.properties()) {
                if (!e.getKey().equals("type") && !e.getKey().equals("target") && !e.getKey().equals("from")) {
                    want.set(e.getKey(), e.getValue());
                }
            }
            if (!got.equals(want) || !got.toString().equals(want.toString())) {
                throw new AssertionError("relayed " + out + " differs from the tree encoding " + want);
            }
        }
    }
}
