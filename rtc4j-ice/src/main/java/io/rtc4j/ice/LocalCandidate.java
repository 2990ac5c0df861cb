package io.rtc4j.ice;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A candidate of our own, with its base (RFC 8445 §5.1.1.1): the local transport address it sends from.
 * For a host candidate the base is its own address; for server-reflexive candidates it is the host
 * candidate behind the NAT; for relayed candidates it is the relayed address itself.
 */
public record LocalCandidate(IceCandidate candidate, InetSocketAddress base) {
    public LocalCandidate {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(base, "base");
    }

    /** The address checks go out from: the base, except a relayed candidate sends through its relay. */
    public InetSocketAddress sendAddress() {
        return candidate.type() == CandidateType.SERVER_REFLEXIVE ? base : candidate.socketAddress().orElse(base);
    }
}
