package io.rtc4j.sdp;

/** RTCSdpType (RFC 8829 §4.1.8). */
public enum SdpType {
    OFFER, PRANSWER, ANSWER, ROLLBACK
}
