package io.rtc4j.stun;

/**
 * A datagram that is not a well-formed STUN message. Checked, and without a stack trace: it is data about
 * untrusted input (a counted drop), thrown often under attack, never a bug.
 */
public final class StunParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public StunParseException(String reason) {
        super(reason, null, false, false);
    }
}
