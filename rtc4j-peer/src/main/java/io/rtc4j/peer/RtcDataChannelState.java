package io.rtc4j.peer;

/** W3C RTCDataChannelState. */
public enum RtcDataChannelState {
    CONNECTING, OPEN, CLOSING, CLOSED
}
