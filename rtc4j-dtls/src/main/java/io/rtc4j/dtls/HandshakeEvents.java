package io.rtc4j.dtls;

/** Callbacks from the BouncyCastle peers into the endpoint (called on the handshake thread). */
interface HandshakeEvents {
    /** The peer sent close_notify. */
    void closeNotifyReceived();
}
