package io.rtc4j.peer;

/**
 * W3C RTCIceCandidateInit: the {@code candidate:...} string (without {@code a=}) and the m-section it belongs
 * to. An empty {@code candidate} is end-of-candidates (RFC 8838 §13; what browsers pass to addIceCandidate).
 */
public record RtcIceCandidate(String candidate, String sdpMid, Integer sdpMLineIndex) {
    public RtcIceCandidate {
        candidate = candidate == null ? "" : candidate;
        if (sdpMLineIndex != null && (sdpMLineIndex < 0 || sdpMLineIndex > 65535)) {
            throw new IllegalArgumentException("sdpMLineIndex out of range: " + sdpMLineIndex);
        }
    }

    /** End-of-candidates for the m-section {@code mid}. */
    public static RtcIceCandidate endOfCandidates(String mid) {
        return new RtcIceCandidate("", mid, null);
    }

    public boolean isEndOfCandidates() {
        return candidate.isEmpty();
    }
}
