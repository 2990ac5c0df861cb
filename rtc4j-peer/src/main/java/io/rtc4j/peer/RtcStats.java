package io.rtc4j.peer;

import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.sctp.SctpSenderStats;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one connection, after W3C webrtc-stats: the transport (DTLS datagrams over the selected pair),
 * the selected candidate pair, and every data channel.
 *
 * @param timestamp when the snapshot was taken (the driver's clock)
 * @param datagramsSent DTLS datagrams handed to ICE (handshake and application records)
 * @param bytesSent their bytes
 * @param datagramsReceived DTLS datagrams received from ICE
 * @param bytesReceived their bytes
 * @param datagramsDropped DTLS datagrams dropped (malformed, early-buffer overflow, after close)
 * @param selectedPair the pair ICE selected, if any
 * @param iceLocalUsernameFragment the ice-ufrag of the current local description (RTCTransportStats; new after an
 *     ICE restart)
 * @param selectedCandidatePairChanges how often ICE selected another pair (RTCTransportStats): an ICE restart
 *     adds one once its new checks select a pair
 * @param roundTripTime the smoothed round-trip time SCTP measures over the whole path (RFC 9260 §6.3.1),
 *     empty before the first measurement
 * @param channels every data channel this connection has had, in creation order
 * @param sctp the SCTP transport (W3C RTCSctpTransportStats: congestion and receiver windows, MTU, unacked
 *     data; plus fast retransmits, lost retransmissions and T3 timeouts), once SCTP exists
 */
public record RtcStats(
        Instant timestamp,
        RtcPeerConnectionState connectionState,
        IceConnectionState iceConnectionState,
        long datagramsSent,
        long bytesSent,
        long datagramsReceived,
        long bytesReceived,
        long datagramsDropped,
        Optional<CandidatePairStats> selectedPair,
        String iceLocalUsernameFragment,
        long selectedCandidatePairChanges,
        Optional<Duration> roundTripTime,
        List<DataChannelStats> channels,
        Optional<SctpSenderStats> sctp) {

    public RtcStats {
        channels = List.copyOf(channels);
    }

    /**
     * The selected candidate pair (RTCIceCandidatePairStats with its local and remote candidates).
     *
     * @param localType host, srflx, prflx or relay
     * @param localAddress the local candidate's transport address
     * @param remoteType host, srflx, prflx or relay
     * @param remoteAddress the remote candidate's transport address
     */
    public record CandidatePairStats(String localType, InetSocketAddress localAddress, String remoteType,
            InetSocketAddress remoteAddress) {}

    /** RTCDataChannelStats. {@code id} is -1 until the channel has a stream id. */
    public record DataChannelStats(String label, String protocol, int id, RtcDataChannelState state,
            long messagesSent, long bytesSent, long messagesReceived, long bytesReceived) {}

    /** The channel with this label, if there is exactly one or more (the first). */
    public Optional<DataChannelStats> channel(String label) {
        return channels.stream().filter(c -> c.label().equals(label)).findFirst();
    }
}
