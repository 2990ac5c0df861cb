package io.rtc4j.peer;

import io.rtc4j.sdp.SdpType;
import java.util.Objects;

/**
 * W3C RTCSessionDescriptionInit: a type and the SDP text ({@code sdp} is ignored, and may be empty, for
 * {@link SdpType#ROLLBACK}).
 */
public record RtcSessionDescription(SdpType type, String sdp) {
    public RtcSessionDescription {
        Objects.requireNonNull(type, "type");
        sdp = sdp == null ? "" : sdp;
    }

    public static RtcSessionDescription offer(String sdp) {
        return new RtcSessionDescription(SdpType.OFFER, sdp);
    }

    public static RtcSessionDescription answer(String sdp) {
        return new RtcSessionDescription(SdpType.ANSWER, sdp);
    }

    public static RtcSessionDescription rollback() {
        return new RtcSessionDescription(SdpType.ROLLBACK, "");
    }
}
