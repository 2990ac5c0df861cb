package io.rtc4j.sdp;

/** RTCSignalingState (RFC 8829 §3.2, W3C webrtc §4.3.1). */
public enum SignalingState {
    STABLE, HAVE_LOCAL_OFFER, HAVE_REMOTE_OFFER, HAVE_LOCAL_PRANSWER, HAVE_REMOTE_PRANSWER, CLOSED
}
