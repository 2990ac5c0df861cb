package io.rtc4j.dtls;

import java.util.Locale;

/**
 * The SDP {@code a=setup} attribute (RFC 4145 §4, RFC 8842 §5) and the role it implies.
 *
 * <p>{@code active} opens the connection, which for DTLS means it is the DTLS client; {@code passive} is the
 * server. The offerer says {@code actpass}; the answerer picks {@code active} or {@code passive}.
 */
public enum DtlsSetup {
    ACTIVE("active"),
    PASSIVE("passive"),
    ACTPASS("actpass"),
    HOLDCONN("holdconn");

    private final String attributeValue;

    DtlsSetup(String attributeValue) {
        this.attributeValue = attributeValue;
    }

    /** The token as it appears after {@code a=setup:}. */
    public String attributeValue() {
        return attributeValue;
    }

    /** Parses the value of an {@code a=setup} line; throws IllegalArgumentException on an unknown token. */
    public static DtlsSetup parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (DtlsSetup s : values()) {
            if (s.attributeValue.equals(v)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown a=setup value: " + value);
    }

    /** What an offerer puts in its offer: RFC 8842 §5.2 says {@code actpass}. */
    public static DtlsSetup offer() {
        return ACTPASS;
    }

    /**
     * The answerer's {@code a=setup} for a remote offer. RFC 8842 §5.3: an offer of {@code actpass} is answered
     * with {@code active} (JSEP, RFC 8829 §5.3.1, recommends it: the answerer's ClientHello can leave at once);
     * {@code active} with {@code passive} and {@code passive} with {@code active}.
     */
    public static DtlsSetup answerTo(DtlsSetup remoteOffer) {
        return switch (remoteOffer) {
            case ACTPASS, PASSIVE -> ACTIVE;
            case ACTIVE -> PASSIVE;
            case HOLDCONN -> throw new IllegalArgumentException("a=setup:holdconn offers no DTLS connection");
        };
    }

    /** Our DTLS role as answerer, given the remote offer's {@code a=setup}. */
    public static DtlsRole answererRole(DtlsSetup remoteOffer) {
        return answerTo(remoteOffer).localRole();
    }

    /**
     * Our DTLS role as offerer (we offered {@code actpass}), given the remote answer's {@code a=setup}. RFC 8842
     * §5.3: the answer must not say {@code actpass} (nor {@code holdconn} for a connection we want).
     */
    public static DtlsRole offererRole(DtlsSetup remoteAnswer) {
        return switch (remoteAnswer) {
            case ACTIVE -> DtlsRole.SERVER;
            case PASSIVE -> DtlsRole.CLIENT;
            case ACTPASS, HOLDCONN -> throw new IllegalArgumentException(
                    "an answer must say a=setup:active or passive, not " + remoteAnswer.attributeValue);
        };
    }

    /** The role of the side that states this (final, non-actpass) setup value. */
    public DtlsRole localRole() {
        return switch (this) {
            case ACTIVE -> DtlsRole.CLIENT;
            case PASSIVE -> DtlsRole.SERVER;
            case ACTPASS, HOLDCONN -> throw new IllegalStateException(attributeValue + " does not fix a role");
        };
    }
}
