package io.rtc4j.sdp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Loads the SDP fixtures under src/test/resources/io/rtc4j/sdp/fixtures (see the README there). */
final class Fixtures {
    static final List<String> ALL = List.of(
            "chromium156-mdns-data-offer.sdp", "chromium156-mdns-data-answer.sdp",
            "chromium156-nomdns-data-offer.sdp", "chromium156-nomdns-data-answer.sdp",
            "chromium156-nomdns-av-data-offer.sdp", "chromium156-nomdns-av-data-answer.sdp",
            "firefox-style-data-offer.sdp", "legacy-dtls-sctp-offer.sdp");

    private Fixtures() {}

    static String load(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("fixtures/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SessionDescription parse(String name) throws SdpParseException {
        return SessionDescription.parse(load(name));
    }
}
