package io.rtc4j.ice;

import java.time.Instant;

/**
 * One ICE generation (RFC 8445 §9): the credentials both sides use and the checklist formed under them. An
 * ICE restart starts a new generation; the previous one lives on only while it still carries the selected
 * pair, for its consent checks (RFC 7675) and for the peer's consent checks still signed with old credentials.
 */
final class IceGeneration {
    final int number;
    final IceCredentials local;
    IceCredentials remote; // null until the offer or answer brings it
    final IceChecks checks;
    boolean nominating; // controlling: a USE-CANDIDATE check is on its way
    Instant nominateAt = Instant.MAX;

    IceGeneration(int number, IceCredentials local, IceCredentials remote, int maxPairs) {
        this.number = number;
        this.local = local;
        this.remote = remote;
        this.checks = new IceChecks(maxPairs);
    }

    /** The next generation (RFC 8445 §9): our candidates are kept, the peer's come anew with its description. */
    IceGeneration next(IceCredentials newLocal, IceCredentials newRemote, IceRole role, int maxPairs) {
        IceGeneration g = new IceGeneration(number + 1, newLocal, newRemote, maxPairs);
        for (LocalCandidate c : checks.locals()) {
            g.checks.addLocal(c, role);
        }
        return g;
    }

    /** True once a pair of this generation has been nominated: ordinary checks are over (RFC 8445 §8.1.2). */
    boolean nominated() {
        return checks.bestNominated() != null;
    }
}
