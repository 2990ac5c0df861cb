package io.rtc4j.peer;

/** W3C RTCIceGatheringState. */
public enum RtcIceGatheringState {
    NEW, GATHERING, COMPLETE
}
