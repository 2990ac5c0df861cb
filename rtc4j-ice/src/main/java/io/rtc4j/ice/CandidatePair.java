package io.rtc4j.ice;

import java.util.Objects;

/**
 * A local and a remote candidate of the same component (RFC 8445 §6.1.2.2) with the pair priority for the
 * agent's current role. State lives in the checklist, not here: a pair is a value.
 */
public record CandidatePair(LocalCandidate local, IceCandidate remote, long priority) {
    public CandidatePair {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
    }

    public static CandidatePair of(LocalCandidate local, IceCandidate remote, boolean controlling) {
        long l = local.candidate().priority();
        long r = remote.priority();
        return new CandidatePair(local, remote, controlling ? IcePriority.pair(l, r) : IcePriority.pair(r, l));
    }

    /** The pair foundation: the local and remote foundations together (RFC 8445 §6.1.2.6). */
    public String foundation() {
        return local.candidate().foundation() + ":" + remote.foundation();
    }

    public int component() {
        return local.candidate().component();
    }
}
