package io.rtc4j.turn;

/** The transport between a TURN client and the server (RFC 8656 §3.1); the relay itself is always UDP. */
public enum TransportProtocol {
    UDP,
    TCP,
    TLS;

    /** Stream transports frame messages and pad ChannelData to a multiple of 4 (RFC 8656 §12.5). */
    public boolean isStream() {
        return this != UDP;
    }
}
