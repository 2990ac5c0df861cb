package io.rtc4j.ice.mdns;

/** A datagram that is not a well-formed DNS message: counted and dropped, never a crash. */
public final class DnsParseException extends Exception {
    private static final long serialVersionUID = 1L;

    public DnsParseException(String reason) {
        super(reason, null, false, false);
    }
}
