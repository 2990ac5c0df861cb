package io.rtc4j.dtls;

import org.bouncycastle.tls.AlertDescription;

/**
 * A TLS alert (RFC 5246 §7.2) that ended an association.
 *
 * @param description the AlertDescription code, e.g. {@link #BAD_CERTIFICATE}
 * @param receivedFromPeer true if the peer sent it, false if we raised it and sent it
 */
public record DtlsAlert(short description, boolean receivedFromPeer) {
    public static final short CLOSE_NOTIFY = 0;
    public static final short HANDSHAKE_FAILURE = 40;
    /** RFC 8122 §5 / RFC 8827 §6.5: the certificate does not match the signalled fingerprint. */
    public static final short BAD_CERTIFICATE = 42;
    public static final short ILLEGAL_PARAMETER = 47;
    public static final short INTERNAL_ERROR = 80;

    public DtlsAlert {
        if (description < 0 || description > 255) {
            throw new IllegalArgumentException("alert description is one byte: " + description);
        }
    }

    /** The RFC name, e.g. {@code bad_certificate}. */
    public String name() {
        return AlertDescription.getName(description);
    }

    @Override
    public String toString() {
        return name() + "(" + description + (receivedFromPeer ? ", received)" : ", sent)");
    }
}
