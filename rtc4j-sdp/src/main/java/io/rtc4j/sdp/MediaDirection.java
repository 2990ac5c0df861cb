package io.rtc4j.sdp;

/** Media direction attributes (RFC 8866 §6.7). */
public enum MediaDirection {
    SENDRECV("sendrecv"),
    SENDONLY("sendonly"),
    RECVONLY("recvonly"),
    INACTIVE("inactive");

    private final String sdp;

    MediaDirection(String sdp) {
        this.sdp = sdp;
    }

    public String sdp() {
        return sdp;
    }

    /** The direction for an SDP token, or null. */
    public static MediaDirection fromSdp(String token) {
        for (MediaDirection d : values()) if (d.sdp.equals(token)) return d;
        return null;
    }
}
