package io.rtc4j.sdp;

/** The {@code a=setup} roles (RFC 4145 §4); for DTLS, active is the DTLS client (RFC 8842 §5). */
public enum SetupRole {
    ACTPASS("actpass"),
    ACTIVE("active"),
    PASSIVE("passive"),
    HOLDCONN("holdconn");

    private final String sdp;

    SetupRole(String sdp) {
        this.sdp = sdp;
    }

    public String sdp() {
        return sdp;
    }

    /** The role for an SDP token (case-sensitive as RFC 4145 writes it), or null. */
    public static SetupRole fromSdp(String token) {
        for (SetupRole r : values()) if (r.sdp.equals(token)) return r;
        return null;
    }
}
