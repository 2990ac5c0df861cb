package io.rtc4j.peer;

import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.sdp.SignalingState;
import java.util.Objects;

/** Something the application hears about, in the order it happened (events are named in the past tense). */
sealed interface PeerEvent extends PeerOutput {
    record SignalingStateChanged(SignalingState state) implements PeerEvent {}

    record IceGatheringStateChanged(RtcIceGatheringState state) implements PeerEvent {}

    /** A local candidate to signal (trickle, RFC 8838); an empty candidate string is end-of-candidates. */
    record IceCandidateGathered(RtcIceCandidate candidate) implements PeerEvent {}

    record IceConnectionStateChanged(IceConnectionState state) implements PeerEvent {}

    /** @param reason why, for FAILED and DISCONNECTED (e.g. a DTLS fingerprint mismatch), else empty */
    record ConnectionStateChanged(RtcPeerConnectionState state, String reason) implements PeerEvent {}

    /** The peer opened a channel in-band (DCEP DATA_CHANNEL_OPEN, RFC 8832 §5.1). */
    record DataChannelAnnounced(int handle, String label, RtcDataChannelInit init, int id) implements PeerEvent {}

    record DataChannelOpened(int handle, int id) implements PeerEvent {}

    record MessageReceived(int handle, boolean binary, byte[] data) implements PeerEvent {
        public MessageReceived {
            Objects.requireNonNull(data, "data");
        }
    }

    record BufferedAmountLow(int handle) implements PeerEvent {}

    record DataChannelClosed(int handle) implements PeerEvent {}
}
