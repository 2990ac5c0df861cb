package io.rtc4j.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input is a checked SdpParseException with the line number; odd but valid text is kept verbatim. */
class SdpParserTest {
    static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    static final String APP = "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n";

    private static SdpParseException fail(String sdp) {
        try {
            SessionDescription.parse(sdp);
        } catch (SdpParseException e) {
            return e;
        }
        throw new AssertionError("parsed: " + sdp);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a=fingerprint:sha-256 AB:CD|6|sha-256 fingerprint needs 32 bytes",
        "a=fingerprint:sha-256 ZZ|6|not XX:XX",
        "a=fingerprint:sha-256|6|fingerprint needs",
        "a=setup:both|6|setup must be",
        "a=sctp-port:70000|6|out of range",
        "a=max-message-size:-1|6|decimal number",
        "a=candidate:1 1 udp 2 127.0.0.1 5 host|6|at least 8 fields",
        "a=candidate:1 1 udp 2 127.0.0.1 5 type host|6|must be 'typ'",
        "a=candidate:1 1 udp 2 127.0.0.1 99999 typ host|6|candidate port",
        "a=candidate:1 1 udp 2 127.0.0.1 5 typ host generation|6|extension without a value",
        "a=candidate:1 0 udp 2 127.0.0.1 5 typ host|6|component",
        "a=ice-lite:yes|6|takes no value",
        "a=mid:|6|needs a value",
        "a=rtpmap:200 opus/48000|6|out of range",
        "a=extmap:0 urn:x|6|extmap id",
        "a=sctpmap:5000|6|sctpmap needs",
        "a=|6|attribute name missing",
        "c=IN IP4|6|c= needs",
        "b=AS|6|b= needs",
        "t=0 0|6|t= belongs to the session level",
        "x|6|not a '<letter>=<value>' line",
        "|6|not a '<letter>=<value>' line",
        "m=application 9 UDP/DTLS/SCTP|6|m= needs",
        "m=application 070 UDP/DTLS/SCTP x|6|canonical",
    })
    void rejectsMalformedMediaLines(String line, int lineNo, String reason) {
        SdpParseException e = fail(HEAD + APP + line + "\r\na=mid:0\r\n");
        assertThat(e.lineNumber()).isEqualTo(lineNo);
        assertThat(e.reason()).contains(reason);
        assertThat(e.getMessage()).startsWith("SDP line " + lineNo + ": ");
    }

    @Test
    void rejectsBadStructure() {
        assertThat(fail("").lineNumber()).isEqualTo(1);
        assertThat(fail("o=- 1 2 IN IP4 x\r\n").reason()).contains("first line must be v=");
        assertThat(fail("v=1\r\no=- 1 2 IN IP4 x\r\ns=-\r\nt=0 0\r\n").reason()).contains("v= must be 0");
        assertThat(fail("v=0\r\ns=-\r\n").reason()).contains("second line must be o=");
        assertThat(fail("v=0\r\no=- x 2 IN IP4 a\r\ns=-\r\nt=0 0\r\n").reason()).contains("digits");
        assertThat(fail("v=0\r\no=- 1 2 IN IP4 a\r\ns=-\r\n").reason()).contains("t= line");
        assertThat(fail(HEAD + "v=0\r\n").lineNumber()).isEqualTo(5);
        assertThat(fail(HEAD + "a=x\0y\r\n").reason()).contains("NUL");
        assertThat(fail(HEAD + "a=x\ry\r\n").reason()).contains("CR");
    }

    @Test
    void enforcesLimits() {
        SdpLimits small = new SdpLimits(200, 6, 60, 1);
        assertThatThrownBy(() -> SdpParser.parse(HEAD + "a=" + "x".repeat(300) + "\r\n", small))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("exceeds the limit of 200");
        assertThatThrownBy(() -> SdpParser.parse(HEAD + "a=" + "x".repeat(70) + "\r\n", small))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 5").hasMessageContaining("longer than 60");
        assertThatThrownBy(() -> SdpParser.parse(HEAD + "a=a\r\na=b\r\na=c\r\n", small))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 7").hasMessageContaining("more than 6 lines");
        assertThatThrownBy(() -> SdpParser.parse(HEAD + APP + APP, small))
                .isInstanceOf(SdpParseException.class).hasMessageContaining("line 6").hasMessageContaining("more than 1 media");
        assertThatThrownBy(() -> new SdpLimits(1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsUnknownAndNonCanonicalLinesInPlace() throws Exception {
        String sdp = HEAD.replace("s=-\r\n", "s=-\r\ni=info\r\nu=http://x\r\n") + "b=AS:030\r\na=foo\r\na=bar: baz \r\n" + APP
                + "a=sctp-port:05000\r\na=mid:0\r\nk=clear:x\r\na=candidate:1 1 udp 2 ::1 5 typ host\r\n";
        SessionDescription sd = SessionDescription.parse(sdp);
        assertThat(sd.toSdp()).isEqualTo(sdp);
        assertThat(sd.sessionLines().get(3)).isEqualTo(new SdpLine.Other('i', "info"));
        assertThat(sd.sessionLines()).contains(new SdpLine.Other('b', "AS:030"), new SdpAttribute.Unknown("foo", null),
                new SdpAttribute.Unknown("bar", " baz "));
        MediaDescription m = sd.media().get(0);
        assertThat(m.first(SdpAttribute.SctpPort.class)).isEmpty();
        assertThat(m.lines().get(0)).isEqualTo(new SdpAttribute.Unknown("sctp-port", "05000"));
        assertThat(m.lines().get(2)).isEqualTo(new SdpLine.Other('k', "clear:x"));
        assertThat(m.candidates()).singleElement().extracting(SdpCandidate::address).isEqualTo("::1");
    }

    @Test
    void acceptsMixedLineEndsAndTrailingBlankLines() throws Exception {
        SessionDescription crlf = SessionDescription.parse(HEAD + APP);
        assertThat(SessionDescription.parse(HEAD.replace("\r\n", "\n") + APP)).isEqualTo(crlf);
        assertThat(SessionDescription.parse(HEAD + APP + "\r\n\r\n")).isEqualTo(crlf);
        assertThat(SessionDescription.parse(HEAD + APP.trim())).isEqualTo(crlf);
        assertThat(fail(HEAD + "\r\n" + APP).lineNumber()).isEqualTo(5);
    }

    @Test
    void candidateStringsParseInTheW3cForm() throws Exception {
        String text = "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.2 rport 46154"
                + " generation 0 ufrag sXHg network-cost 999";
        SdpCandidate c = SdpCandidate.parse(text);
        assertThat(c.candidateType()).isEqualTo("srflx");
        assertThat(c.relatedAddress()).isEqualTo("10.0.0.2");
        assertThat(c.relatedPort()).isEqualTo(46154);
        assertThat(c.extension("ufrag")).isEqualTo("sXHg");
        assertThat(c.toCandidateString()).isEqualTo(text);
        assertThat(SdpCandidate.parse("a=" + text)).isEqualTo(c);
        assertThatThrownBy(() -> SdpCandidate.parse("candidate:x")).isInstanceOf(SdpParseException.class)
                .hasMessageContaining("at least 8 fields");
    }

    @Test
    void fingerprintDigestAndFactoryAgree() {
        byte[] d = new byte[32];
        for (int i = 0; i < d.length; i++) d[i] = (byte) (i * 7 + 0xA0);
        SdpAttribute.Fingerprint f = SdpAttribute.Fingerprint.of("sha-256", d);
        assertThat(f.digest()).isEqualTo(d);
        assertThat(f.fingerprint()).matches("[0-9A-F]{2}(:[0-9A-F]{2}){31}");
        assertThat(f.jcaAlgorithm()).isEqualTo("SHA-256");
        assertThat(new SdpAttribute.Fingerprint("SHA-1", "ab:".repeat(19) + "ab").digest()).hasSize(20);
        assertThatThrownBy(() -> new SdpAttribute.Fingerprint("sha-1", "AB:CD")).isInstanceOf(IllegalArgumentException.class);
    }
}
