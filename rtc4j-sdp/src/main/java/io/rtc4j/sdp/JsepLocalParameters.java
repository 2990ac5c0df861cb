package io.rtc4j.sdp;

import java.util.List;
import java.util.Objects;

/**
 * What this side puts into its data-channel offers and answers: ICE credentials, the DTLS certificate
 * fingerprints, whether it is ICE-lite, whether it trickles, its SCTP port, the largest message it accepts
 * (RFC 8841 §6; JSEP peers advertise at least 256 KiB, 0 = no limit) and the role it takes when answering an
 * actpass offer (RFC 8842 §5.3: active is recommended). Validated once, here.
 */
public record JsepLocalParameters(IceCredentials ice, List<SdpAttribute.Fingerprint> fingerprints, boolean iceLite,
        boolean trickle, int sctpPort, long maxMessageSize, SetupRole answerRoleForActpass) {

    public static final int DEFAULT_SCTP_PORT = 5000;
    public static final long DEFAULT_MAX_MESSAGE_SIZE = 262_144;

    public JsepLocalParameters {
        Objects.requireNonNull(ice, "ice");
        fingerprints = List.copyOf(fingerprints);
        if (fingerprints.isEmpty()) throw new IllegalArgumentException("at least one fingerprint (RFC 8827 §6.5)");
        if (sctpPort < 1 || sctpPort > 65535) throw new IllegalArgumentException("sctp port out of range: " + sctpPort);
        if (maxMessageSize != 0 && maxMessageSize < DEFAULT_MAX_MESSAGE_SIZE) {
            throw new IllegalArgumentException("advertise at least " + DEFAULT_MAX_MESSAGE_SIZE + " bytes (or 0 = no limit)");
        }
        if (answerRoleForActpass != SetupRole.ACTIVE && answerRoleForActpass != SetupRole.PASSIVE) {
            throw new IllegalArgumentException("an answer to actpass is active or passive");
        }
    }

    /** Trickle, full ICE, port 5000, 256 KiB messages, active when answering actpass. */
    public static JsepLocalParameters of(IceCredentials ice, SdpAttribute.Fingerprint fingerprint) {
        return new JsepLocalParameters(ice, List.of(fingerprint), false, true, DEFAULT_SCTP_PORT,
                DEFAULT_MAX_MESSAGE_SIZE, SetupRole.ACTIVE);
    }

    public JsepLocalParameters withIceLite(boolean lite) {
        return new JsepLocalParameters(ice, fingerprints, lite, trickle, sctpPort, maxMessageSize, answerRoleForActpass);
    }

    public JsepLocalParameters withTrickle(boolean t) {
        return new JsepLocalParameters(ice, fingerprints, iceLite, t, sctpPort, maxMessageSize, answerRoleForActpass);
    }

    public JsepLocalParameters withMaxMessageSize(long size) {
        return new JsepLocalParameters(ice, fingerprints, iceLite, trickle, sctpPort, size, answerRoleForActpass);
    }

    public JsepLocalParameters withAnswerRoleForActpass(SetupRole role) {
        return new JsepLocalParameters(ice, fingerprints, iceLite, trickle, sctpPort, maxMessageSize, role);
    }
}
