package io.rtc4j.ice;

/** The agent's state as RTCIceTransportState names it (W3C webrtc-pc §5.6), driven by RFC 8445/7675. */
public enum IceConnectionState {
    NEW,
    CHECKING,
    CONNECTED,
    COMPLETED,
    DISCONNECTED,
    FAILED,
    CLOSED
}
