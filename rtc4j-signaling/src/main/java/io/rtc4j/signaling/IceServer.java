package io.rtc4j.signaling;

import java.util.List;
import java.util.Objects;

/**
 * One entry of RTCConfiguration.iceServers (W3C webrtc §4.2.2): urls, and for TURN the username and
 * credential (null for STUN).
 */
public record IceServer(List<String> urls, String username, String credential) {
    public IceServer {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("an ICE server needs at least one URL");
        }
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("username and credential go together");
        }
    }

    public static IceServer stun(String url) {
        return new IceServer(List.of(Objects.requireNonNull(url)), null, null);
    }

    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential=" + (credential == null ? null : "<redacted>") + "]";
    }
}
