package io.rtc4j.peer;

import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.sdp.JsepRemoteParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * ICE restarts in negotiation, for {@link PeerSignaling} (RFC 8445 §9, RFC 8839 §4.4.1.1, W3C restartIce()):
 * the new local credentials an offer or answer carries before it is set, a restarting remote offer and its
 * candidates until our answer is set, and what our own restart offer replaced, for a rollback. Not thread-safe.
 */
final class PeerIceRestart {
    /** A peer's offer that restarts ICE, with the candidates of its new generation so far. */
    record RemoteOffer(JsepRemoteParameters parameters, List<IceCandidate> candidates, boolean ended) {}

    /** The generation our restart offer replaced: credentials, the peer's candidates, whether they had ended. */
    record Previous(IceCredentials local, IceCredentials remote, List<IceCandidate> candidates, boolean ended) {}

    private boolean requested;
    private IceCredentials next;
    private JsepRemoteParameters remoteOffer;
    private final List<IceCandidate> remoteCandidates = new ArrayList<>();
    private boolean remoteEnded;
    private Previous previous;
    /** The remote candidates given to the agent's current generation (to give them again after a rollback). */
    private final List<IceCandidate> paired = new ArrayList<>();

    /** W3C restartIce(); before ICE has started every offer has fresh credentials anyway. */
    void requested(boolean iceStarted) {
        requested |= iceStarted;
    }

    /** The credentials our next offer carries: new ones (the same for every offer) while a restart is asked for. */
    IceCredentials offerCredentials(IceCredentials current, RandomGenerator random) {
        if (!requested) {
            return current;
        }
        if (next == null) {
            next = IceCredentials.random(random);
        }
        return next;
    }

    /** The credentials our answer carries: new ones when the offer restarts ICE (RFC 8839 §4.4.1.1.2). */
    IceCredentials answerCredentials(IceCredentials current) {
        return remoteOffer != null ? next : current;
    }

    /** Our restart offer is set; what it replaces is kept until the answer comes (or a rollback). */
    void localOfferSet(IceCredentials oldLocal, IceCredentials oldRemote, boolean ended) {
        previous = new Previous(oldLocal, oldRemote, List.copyOf(paired), ended);
        paired.clear();
        requested = false;
        next = null;
    }

    /** Our restart offer was rolled back: the generation to go back to, if there was one. */
    Optional<Previous> rolledBackLocalOffer() {
        Previous p = previous;
        previous = null;
        if (p != null) {
            paired.clear();
        }
        return Optional.ofNullable(p);
    }

    /** The answer to our offer is set: a restart it made is final. */
    void answered() {
        previous = null;
    }

    /** The peer's offer restarts ICE. */
    void remoteOffer(JsepRemoteParameters offer, RandomGenerator random) {
        remoteOffer = offer;
        remoteCandidates.clear();
        remoteEnded = offer.endOfCandidates();
        if (next == null) {
            next = IceCredentials.random(random);
        }
    }

    boolean remoteOfferPending() {
        return remoteOffer != null;
    }

    /** A candidate of the restarting peer's new generation; false when {@code max} are kept already. */
    boolean keep(IceCandidate c, int max) {
        if (remoteCandidates.size() >= max) {
            return false;
        }
        remoteCandidates.add(c);
        return true;
    }

    void remoteEnded() {
        remoteEnded = true;
    }

    /** Our answer to the restarting offer is set: its offer and candidates, for the agent's new generation. */
    RemoteOffer remoteOfferAnswered() {
        RemoteOffer r = new RemoteOffer(remoteOffer, List.copyOf(remoteCandidates), remoteEnded);
        remoteOffer = null;
        remoteCandidates.clear();
        next = null;
        requested = false;
        paired.clear();
        return r;
    }

    /** The restarting remote offer was rolled back: nothing of it reached the agent. */
    void rolledBackRemoteOffer() {
        remoteOffer = null;
        remoteCandidates.clear();
        if (!requested) {
            next = null;
        }
    }

    /** A remote candidate went to the agent's current generation. */
    void paired(IceCandidate c, int max) {
        if (paired.size() < max) {
            paired.add(c);
        }
    }
}
