package io.rtc4j.peer;

/**
 * W3C RTCDtlsTransportState: NEW before the handshake starts, CONNECTING during it, CONNECTED after it, CLOSED
 * once the peer sent close_notify (RFC 5246 §7.2.1; the transport never comes back) or the connection was
 * closed, FAILED on a handshake or fingerprint failure.
 */
public enum RtcDtlsTransportState {
    NEW, CONNECTING, CONNECTED, CLOSED, FAILED
}
