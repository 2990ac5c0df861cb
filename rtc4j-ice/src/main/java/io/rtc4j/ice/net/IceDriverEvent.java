package io.rtc4j.ice.net;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceRole;
import java.net.InetSocketAddress;

/** What a driver tells its application, on the driver's thread. */
public sealed interface IceDriverEvent {
    /** A local candidate to signal to the peer (trickle ICE, RFC 8838 §4). */
    record CandidateGathered(IceCandidate candidate) implements IceDriverEvent {}

    /** Host, server-reflexive and relayed gathering are over: signal end-of-candidates (RFC 8838 §8.2). */
    record GatheringCompleted() implements IceDriverEvent {}

    record StateChanged(IceConnectionState state) implements IceDriverEvent {}

    /** Application datagrams now go over this pair. */
    record SelectedPairChanged(CandidatePair pair) implements IceDriverEvent {}

    /** A peer-reflexive candidate learned from a check (RFC 8445 §7.3.1.3). */
    record RemoteCandidateLearned(IceCandidate candidate) implements IceDriverEvent {}

    record RoleChanged(IceRole role) implements IceDriverEvent {}

    /** No relayed candidate from this TURN server. */
    record RelayFailed(InetSocketAddress server, String reason) implements IceDriverEvent {}
}
