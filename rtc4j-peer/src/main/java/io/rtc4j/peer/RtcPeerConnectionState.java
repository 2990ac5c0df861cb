package io.rtc4j.peer;

/** W3C RTCPeerConnectionState: ICE and DTLS together. */
public enum RtcPeerConnectionState {
    NEW, CONNECTING, CONNECTED, DISCONNECTED, FAILED, CLOSED
}
