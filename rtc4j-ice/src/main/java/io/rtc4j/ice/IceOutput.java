package io.rtc4j.ice;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;

/** What the agent asks of its driver; drain after every input until {@link Timeout}. */
public sealed interface IceOutput {
    /** Send {@code data} from local transport address {@code from} (a base or relayed address) to {@code to}. */
    record Transmit(InetSocketAddress from, InetSocketAddress to, ByteBuffer data) implements IceOutput {}

    record StateChanged(IceConnectionState state) implements IceOutput {}

    /** The pair media and data now use (RFC 8445 §8.1.1 nominated, or the best valid one while checking). */
    record SelectedPairChanged(CandidatePair pair) implements IceOutput {}

    /** A peer-reflexive remote candidate learned from an incoming check (RFC 8445 §7.3.1.3). */
    record RemoteCandidateLearned(IceCandidate candidate) implements IceOutput {}

    /** The roles were swapped after a conflict (RFC 8445 §7.3.1.1 / §7.2.5.1). */
    record RoleChanged(IceRole role) implements IceOutput {}

    /**
     * A new ICE generation began (RFC 8445 §9): by {@link IceAgent#restart}, or because the peer's credentials
     * changed ({@code byPeer}); then {@code localCredentials} are the fresh ones the answer must carry
     * (RFC 8839 §4.4.1.1.2). The selected pair keeps carrying data until the new generation selects one.
     */
    record IceRestarted(int generation, IceCredentials localCredentials, boolean byPeer) implements IceOutput {}

    record Timeout(Instant at) implements IceOutput {}
}
