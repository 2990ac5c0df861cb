package io.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The relay fast path splices the sender's text instead of re-encoding a tree: the result must be, as JSON, exactly
 * what the tree path produced (type first, then from, then the other members in order, target and any client
 * "from" removed), whatever the escaping, whitespace or nesting, and bad input must fail as before.
 */
class RelaySpliceTest {
    private final SignalingCodec codec = new SignalingCodec();

    /** The tree path's answer, as it was before splicing. */
    private JsonNode reference(String text, String from) throws Exception {
        ObjectNode in = (ObjectNode) codec.readTree(text);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("type", in.get("type"));
        out.put("from", from);
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            if (!List.of("type", "target", "from").contains(e.getKey())) {
                out.set(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private String relayed(String text, String from) {
        SignalingCodec.Decoded d = codec.decode(text);
        assertThat(d).isInstanceOf(SignalingCodec.Decoded.Ok.class);
        ClientMessage.Relay r = (ClientMessage.Relay) ((SignalingCodec.Decoded.Ok) d).message();
        return codec.encode(new ServerMessage.Relayed(new PeerId(from), r.kind(), r.members()));
    }

    private static List<String> fieldOrder(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // escaped quotes and backslashes, in values and keys
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":{\"sdp\":\"a\\\"b\\\\\",\"k\\\"ey\":\"}\"}}",
        // unicode, raw and escaped, with a surrogate pair and an escaped one
        "{\"type\":\"answer\",\"target\":\"b\",\"answer\":{\"sdp\":\"é\\u00e9 😀 \\ud83d\\ude00\"}}",
        // a target key inside the payload stays; only the top-level one goes
        "{\"type\":\"offer\",\"offer\":{\"target\":\"x\",\"from\":\"y\",\"deep\":{\"target\":[1,{\"target\":2}]}},\"target\":\"b\"}",
        // whitespace everywhere, target last, type last, members after target
        " \r\n{ \"target\" : \"b\" ,\n\t\"candidate\" : null , \"x\" : [ 1 , 2 ] ,\"type\" : \"ice_candidate\" } \n",
        // a client-supplied from is dropped, not relayed (no spoofing)
        "{\"type\":\"offer\",\"from\":\"mallory\",\"target\":\"b\",\"offer\":\"o\",\"t\":1.5e3}",
        // keys and values written with escapes
        "{\"t\\u0079pe\":\"\\u006fffer\",\"t\\u0061rget\":\"b\",\"offer\":\"o\"}",
        // only type, target and the payload
        "{\"type\":\"ice_candidate\",\"candidate\":{},\"target\":\"b\"}",
        // empty strings and nested empties
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":\"\",\"\":{\"\":[]}}",
    })
    void splicedEqualsTreeEncoding(String text) throws Exception {
        String out = relayed(text, "alice");
        JsonNode got = codec.readTree(out);
        JsonNode want = reference(text, "alice");
        assertThat(got).isEqualTo(want);
        assertThat(fieldOrder(got)).isEqualTo(fieldOrder(want));
        assertThat(fieldOrder(got).subList(0, 2)).containsExactly("type", "from");
        // and the relayed text is itself a client message that decodes again
        assertThat(codec.decode(out.replace("\"from\":\"alice\"", "\"target\":\"c\"")))
                .isInstanceOf(SignalingCodec.Decoded.Ok.class);
    }

    @Test
    void membersAreSplicedVerbatim() {
        String text = "{\"type\":\"offer\", \"target\":\"b\", \"offer\": {\"sdp\" : \"v=0\\r\\n\\u0041\"}, \"n\":1.50}";
        assertThat(relayed(text, "alice"))
                .isEqualTo("{\"type\":\"offer\",\"from\":\"alice\",\"offer\": {\"sdp\" : \"v=0\\r\\n\\u0041\"},\"n\":1.50}");
    }

    @Test
    void fromIsEscaped() throws Exception {
        String out = relayed("{\"type\":\"offer\",\"target\":\"b\",\"offer\":1}", "a\"b\\c/ö😀");
        assertThat(codec.readTree(out).get("from").textValue()).isEqualTo("a\"b\\c/ö😀");
    }

    @Test
    void theTargetIsReadUnescaped() {
        var d = (SignalingCodec.Decoded.Ok) codec.decode("{\"type\":\"offer\",\"target\":\"b\\u00f6\\\"\",\"offer\":1}");
        assertThat(((ClientMessage.Relay) d.message()).target()).isEqualTo(new PeerId("bö\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"offer\",\"target\":\"b\",\"target\":\"c\",\"offer\":1}", // duplicate top-level key
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":{\"a\":1,\"a\":2}}", // duplicate nested key
        "{\"type\":\"offer\",\"type\":\"offer\",\"target\":\"b\",\"offer\":1}",
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":1} {}", // trailing tokens
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":1} x",
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":1",
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":1,}",
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":'x'}",
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":\"\u0001\"}", // raw control character in a string
        "{\"type\":\"offer\",\"target\":\"b\",\"offer\":NaN}",
    })
    void badJsonIsRejectedAsBefore(String text) {
        assertThat(codec.decode(text)).isInstanceOfSatisfying(SignalingCodec.Decoded.Invalid.class,
                inv -> assertThat(inv.code()).isEqualTo(SignalingErrorCode.BAD_JSON));
    }

    @Test
    void tooDeepIsRejected() {
        String deep = "[".repeat(SignalingCodec.MAX_DEPTH + 1) + "]".repeat(SignalingCodec.MAX_DEPTH + 1);
        assertThat(codec.decode("{\"type\":\"offer\",\"target\":\"b\",\"offer\":" + deep + "}"))
                .isInstanceOfSatisfying(SignalingCodec.Decoded.Invalid.class,
                        inv -> assertThat(inv.code()).isEqualTo(SignalingErrorCode.BAD_JSON));
    }

    @Test
    void fieldErrorsAreTheSameAsBefore() {
        assertThat(codec.decode("{\"type\":\"offer\",\"offer\":1}")).isEqualTo(new SignalingCodec.Decoded.Invalid(
                SignalingErrorCode.MISSING_FIELD, "missing field: target", "offer"));
        assertThat(codec.decode("{\"type\":\"answer\",\"target\":7,\"answer\":1}")).isEqualTo(new SignalingCodec.Decoded.Invalid(
                SignalingErrorCode.INVALID_FIELD, "target must be a string", "answer"));
        assertThat(codec.decode("{\"type\":\"answer\",\"target\":null,\"answer\":1}")).isEqualTo(new SignalingCodec.Decoded.Invalid(
                SignalingErrorCode.INVALID_FIELD, "target must be a string", "answer"));
        assertThat(codec.decode("{\"type\":\"offer\",\"target\":\"\",\"offer\":1}")).isInstanceOfSatisfying(
                SignalingCodec.Decoded.Invalid.class, inv -> assertThat(inv.code()).isEqualTo(SignalingErrorCode.INVALID_FIELD));
        assertThat(codec.decode("{\"type\":\"ice_candidate\",\"target\":\"b\"}")).isEqualTo(new SignalingCodec.Decoded.Invalid(
                SignalingErrorCode.MISSING_FIELD, "missing field: candidate", "ice_candidate"));
        // the payload of another kind does not count
        assertThat(codec.decode("{\"type\":\"offer\",\"target\":\"b\",\"answer\":1}")).isEqualTo(new SignalingCodec.Decoded.Invalid(
                SignalingErrorCode.MISSING_FIELD, "missing field: offer", "offer"));
        // a type that is not a string is still reported by the general path
        assertThat(codec.decode("{\"type\":[\"offer\"],\"target\":\"b\",\"offer\":1}")).isEqualTo(new SignalingCodec.Decoded.Invalid(
                SignalingErrorCode.INVALID_FIELD, "type must be a string", null));
    }
}
