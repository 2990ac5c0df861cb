package io.rtc4j.sctp;

/** A malformed SCTP packet, parameter or DCEP message; the engine turns it into a counted drop. */
public final class SctpParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public SctpParseException(String message) {
        super(message, null, false, false);
    }
}
