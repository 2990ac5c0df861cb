package io.rtc4j.sdp;

/**
 * A description that parses as SDP but cannot be used for a data-channel session (RFC 8829 §5.8): no usable
 * application m-section, missing ICE credentials or fingerprint, an impossible setup role.
 */
public final class JsepException extends Exception {
    public JsepException(String reason) {
        super(reason);
    }
}
