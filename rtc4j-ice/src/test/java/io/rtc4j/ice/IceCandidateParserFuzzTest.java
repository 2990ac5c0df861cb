package io.rtc4j.ice;

import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any line either parses into a candidate whose SDP form parses to the same candidate, or is rejected. */
class IceCandidateParserFuzzTest {
    @FuzzTest(maxDuration = "20s")
    void parse(String line) {
        IceCandidate c;
        try {
            c = IceCandidateParser.parse(line);
        } catch (IceParseException e) {
            return;
        }
        c.socketAddress();
        c.relatedSocketAddress();
        try {
            IceCandidate again = IceCandidateParser.parse(c.toSdp());
            if (!again.equals(c)) {
                throw new AssertionError("format/parse changed " + c + " into " + again);
            }
        } catch (IceParseException e) {
            throw new AssertionError("formatted candidate does not parse: " + c.toSdp(), e);
        }
    }
}
