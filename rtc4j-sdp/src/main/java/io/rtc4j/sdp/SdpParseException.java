package io.rtc4j.sdp;

/**
 * A session description (or a candidate string) that is not valid SDP: the 1-based line number (0 when the
 * problem is not tied to one line, e.g. the whole text is too large) and the reason.
 */
public final class SdpParseException extends Exception {
    private final int lineNumber;
    private final String reason;

    public SdpParseException(int lineNumber, String reason) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + reason : "SDP: " + reason);
        this.lineNumber = lineNumber;
        this.reason = reason;
    }

    /** 1-based line number, 0 if not tied to a line. */
    public int lineNumber() {
        return lineNumber;
    }

    public String reason() {
        return reason;
    }
}
