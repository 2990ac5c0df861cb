package io.rtc4j.ice;

/** A candidate line that does not follow RFC 8839 §5.1: data from the network, so checked and traceless. */
public final class IceParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public IceParseException(String reason) {
        super(reason, null, false, false);
    }
}
