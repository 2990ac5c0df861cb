package io.rtc4j.ice;

import io.rtc4j.stun.TransactionId;

/** A pair in the checklist with its mutable check state. Owned by one agent. */
final class CheckEntry {
    CandidatePair pair;
    PairState state;
    boolean valid;
    boolean nominated;
    boolean nominateOnSuccess; // controlled: USE-CANDIDATE arrived before our own check succeeded
    boolean useCandidate; // controlling: the next check of this pair nominates it
    TransactionId inFlight;

    CheckEntry(CandidatePair pair, PairState state) {
        this.pair = pair;
        this.state = state;
    }

    int component() {
        return pair.component();
    }

    boolean sameEndpoints(java.net.InetSocketAddress local, java.net.InetSocketAddress remote) {
        return pair.local().sendAddress().equals(local) && pair.remote().socketAddress().map(remote::equals).orElse(false);
    }

    @Override
    public String toString() {
        return pair.local().sendAddress() + "->" + pair.remote().address() + ":" + pair.remote().port() + " " + state
                + (valid ? " valid" : "") + (nominated ? " nominated" : "");
    }
}
