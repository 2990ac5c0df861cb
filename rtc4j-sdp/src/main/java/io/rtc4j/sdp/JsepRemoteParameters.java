package io.rtc4j.sdp;

import java.util.List;

/**
 * What the peer needs from a remote description's data-channel m-section (and its BUNDLE transport).
 *
 * @param mid the application m-section's mid, or null if it has none
 * @param mediaIndex index of that m-section
 * @param ice the peer's ICE credentials
 * @param iceLite the peer is ICE-lite (RFC 8839 §5.3), so we are controlling
 * @param trickle the peer announced {@code a=ice-options:trickle} (RFC 8840)
 * @param fingerprints the peer's certificate fingerprints (RFC 8122), to check its DTLS certificate against
 * @param setup the peer's {@code a=setup} (RFC 8842), ACTIVE if absent (RFC 4145 §4)
 * @param sctpPort the peer's SCTP port (RFC 8841 §5; 5000 if absent; the m= fmt in the legacy form)
 * @param maxMessageSize the peer's max-message-size (RFC 8841 §6: 65536 if absent; 0 = no limit)
 * @param legacySctpmap the peer used the legacy {@code DTLS/SCTP <port>} + {@code a=sctpmap} form
 * @param candidates the candidates in the transport m-section
 * @param endOfCandidates {@code a=end-of-candidates} is present (RFC 8840 §8.2)
 */
public record JsepRemoteParameters(String mid, int mediaIndex, IceCredentials ice, boolean iceLite, boolean trickle,
        List<SdpAttribute.Fingerprint> fingerprints, SetupRole setup, int sctpPort, long maxMessageSize,
        boolean legacySctpmap, List<SdpCandidate> candidates, boolean endOfCandidates) {

    public JsepRemoteParameters {
        fingerprints = List.copyOf(fingerprints);
        candidates = List.copyOf(candidates);
    }
}
