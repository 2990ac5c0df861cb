package io.rtc4j.peer;

import java.util.List;

/**
 * W3C RTCIceServer: one or more URLs of the same server, with the long-term credential TURN needs. Validated
 * once, here: every URL must parse (RFC 7064/7065) and TURN URLs need a username and a credential (W3C
 * webrtc-pc §4.4.1.3, else InvalidAccessError; here an IllegalArgumentException).
 */
public record RtcIceServer(List<String> urls, String username, String credential) {
    public RtcIceServer {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        for (String u : urls) {
            IceServerUrl p = IceServerUrl.parse(u);
            if (p.scheme().turn() && (username == null || username.isEmpty() || credential == null)) {
                throw new IllegalArgumentException("a TURN server needs a username and a credential: " + u);
            }
        }
        if (username != null && username.length() > 508) { // RFC 8489 §14.3: USERNAME < 509 bytes
            throw new IllegalArgumentException("username longer than 508 bytes");
        }
    }

    /** A STUN server, no credentials. */
    public static RtcIceServer stun(String url) {
        return new RtcIceServer(List.of(url), null, null);
    }

    /** A TURN server with its long-term credential. */
    public static RtcIceServer turn(String url, String username, String credential) {
        return new RtcIceServer(List.of(url), username, credential);
    }

    /** The URLs, parsed. */
    public List<IceServerUrl> parsedUrls() {
        return urls.stream().map(IceServerUrl::parse).toList();
    }

    @Override
    public String toString() {
        return "RtcIceServer[urls=" + urls + ", username=" + username + ", credential=" + (credential == null ? "null" : "<hidden>") + "]";
    }
}
