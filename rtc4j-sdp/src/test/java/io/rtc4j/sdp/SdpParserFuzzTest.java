package io.rtc4j.sdp;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target for the SDP parser and what reads its output: any text either parses or raises
 * SdpParseException; a parsed description writes back to text that parses to the same model (and to the very
 * same text when the input was already CRLF-terminated); JSEP on it raises only JsepException. Runs its seed
 * corpus (real fixtures) as a regression test; JAZZER_FUZZ=1 fuzzes.
 */
class SdpParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            SdpCandidate.parse(text);
        } catch (SdpParseException expected) {
            // fine: not a candidate
        }
        SessionDescription sd;
        try {
            sd = SdpParser.parse(text, new SdpLimits(64 * 1024, 2000, 4096, 64));
        } catch (SdpParseException e) {
            if (e.getMessage() == null || e.lineNumber() < 0) throw new AssertionError("parse error without a reason", e);
            return;
        }
        String out = sd.toSdp();
        try {
            SessionDescription back = SessionDescription.parse(out);
            if (!back.equals(sd)) throw new AssertionError("re-parsed description differs:\n" + out);
        } catch (SdpParseException e) {
            throw new AssertionError("serialized description does not parse: " + e.getMessage() + "\n" + out, e);
        }
        boolean canonicalInput = text.endsWith("\r\n") && !text.endsWith("\r\n\r\n") && text.replace("\r\n", "").indexOf('\n') < 0;
        if (canonicalInput && !out.equals(text)) throw new AssertionError("not byte for byte:\n" + text + "\n---\n" + out);
        try {
            JsepRemoteParameters p = Jsep.remoteParameters(sd);
            SessionDescription answer = Jsep.createAnswer(sd, JsepTest.LOCAL, JsepTest.ORIGIN);
            if (answer.media().size() != sd.media().size()) throw new AssertionError("answer has another m-section count");
            if (p.mediaIndex() < 0) throw new AssertionError("negative media index");
        } catch (JsepException expected) {
            // fine: not a usable data-channel description
        }
    }
}
