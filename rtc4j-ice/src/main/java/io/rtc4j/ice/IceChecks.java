package io.rtc4j.ice;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.IceControlled;
import io.rtc4j.stun.IceControlling;
import io.rtc4j.stun.Priority;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.Username;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** The agent's candidates, checklist entries and triggered-check queue (RFC 8445 §6.1.2-§6.1.4). */
final class IceChecks {
    /** Peer-reflexive remote candidates learned at most: a flood of checks cannot grow the list. */
    static final int MAX_REMOTES = 100;

    private final int maxPairs;
    private final List<LocalCandidate> locals = new ArrayList<>();
    private final List<IceCandidate> remotes = new ArrayList<>();
    private final List<CheckEntry> entries = new ArrayList<>();
    private final ArrayDeque<CheckEntry> triggered = new ArrayDeque<>();
    private int learned;
    boolean remoteDone;

    /** What an answer to one of our checks means for the agent (RFC 8445 §7.2.5). */
    enum Answer {
        /** 487: swap roles; the pair is checked again (§7.2.5.1). */
        ROLE_CONFLICT,
        FAILED,
        /** Succeeded: the pair is valid (§7.2.5.3.2). */
        VALID,
        /** Succeeded, and the pair is nominated (§7.2.5.3.4, §7.3.1.5). */
        NOMINATED
    }

    /** Outcome of authenticating a check: 0 accept, 400/401 answer with that error, -1 drop silently. */
    record RequestCheck(int errorCode) {}

    IceChecks(int maxPairs) {
        this.maxPairs = maxPairs;
    }

    void addLocal(LocalCandidate c, IceRole role) {
        locals.add(c);
        rebuild(role);
    }

    void addRemote(IceCandidate c, IceRole role) {
        if (remotes.size() < MAX_REMOTES + learned && !remotes.contains(c)) {
            remotes.add(c);
            rebuild(role);
        }
    }

    /** RFC 8445 §7.3.1.3: a check from an unknown address teaches a peer-reflexive remote candidate. */
    IceCandidate learnRemote(InetSocketAddress source, StunMessage req, IceRole role) {
        for (IceCandidate r : remotes) {
            if (r.socketAddress().map(source::equals).orElse(false)) {
                return null;
            }
        }
        if (learned >= MAX_REMOTES) {
            return null;
        }
        Priority p = req.getOrNull(Priority.class);
        long priority = p == null || p.value() < 1 || p.value() > 0x7FFFFFFFL
                ? IcePriority.candidate(CandidateType.PEER_REFLEXIVE, 0, 1)
                : p.value();
        IceCandidate c = IceCandidate.udp("prflx" + (++learned), 1, priority, source, CandidateType.PEER_REFLEXIVE);
        remotes.add(c);
        rebuild(role);
        return c;
    }

    /** The entry for checks between {@code at} (a local base or relayed address) and {@code source}. */
    CheckEntry entryFor(InetSocketAddress at, InetSocketAddress source, IceRole role) {
        for (CheckEntry e : entries) {
            if (e.sameEndpoints(at, source)) {
                return e;
            }
        }
        return null;
    }

    private void rebuild(IceRole role) {
        for (CandidatePair p : IceChecklist.form(locals, remotes, role == IceRole.CONTROLLING, maxPairs)) {
            if (find(p) == null && entries.size() < maxPairs) {
                // RFC 8838 §10: a new pair waits unless a pair of its foundation is already being checked
                boolean busy = entries.stream().anyMatch(e -> e.pair.foundation().equals(p.foundation())
                        && (e.state == PairState.WAITING || e.state == PairState.IN_PROGRESS));
                entries.add(new CheckEntry(p, busy ? PairState.FROZEN : PairState.WAITING));
            }
        }
    }

    private CheckEntry find(CandidatePair p) {
        InetSocketAddress remote = p.remote().socketAddress().orElse(null);
        for (CheckEntry e : entries) {
            if (remote != null && e.component() == p.component() && e.sameEndpoints(p.local().sendAddress(), remote)) {
                return e;
            }
        }
        return null;
    }

    void trigger(CheckEntry e) {
        if (!triggered.contains(e)) {
            triggered.add(e);
        }
    }

    void triggerFirst(CheckEntry e) {
        triggered.remove(e);
        triggered.addFirst(e);
    }

    /** The next triggered check (RFC 8445 §6.1.4.2), or null. */
    CheckEntry nextTriggered() {
        CheckEntry e;
        while ((e = triggered.poll()) != null) {
            if (e.inFlight == null && (e.state != PairState.SUCCEEDED || e.useCandidate)) {
                return e;
            }
        }
        return null;
    }

    /** The next pair to check: triggered first, then the best Waiting, then the best Frozen (§6.1.4.2). */
    CheckEntry next() {
        CheckEntry e = nextTriggered();
        if (e != null) {
            return e;
        }
        CheckEntry best = null;
        for (PairState wanted : new PairState[] {PairState.WAITING, PairState.FROZEN}) {
            for (CheckEntry c : entries) {
                if (c.state == wanted && c.inFlight == null && (best == null || c.pair.priority() > best.pair.priority())) {
                    best = c;
                }
            }
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /** RFC 8445 §7.2.5: the authenticated answer {@code res} to our check of {@code e} sets the pair's state. */
    Answer answered(CheckEntry e, StunMessage res, boolean symmetric) {
        e.inFlight = null;
        if (res.messageClass() == StunClass.ERROR_RESPONSE) {
            ErrorCode code = res.getOrNull(ErrorCode.class);
            if (code != null && code.code() == 487) {
                e.state = PairState.WAITING;
                trigger(e);
                return Answer.ROLE_CONFLICT;
            }
            e.state = PairState.FAILED;
            return Answer.FAILED;
        }
        if (!symmetric) {
            e.state = PairState.FAILED; // §7.2.5.2.1: not symmetric
            return Answer.FAILED;
        }
        e.state = PairState.SUCCEEDED;
        e.valid = true;
        unfreeze(e.pair.foundation()); // §7.2.5.3.3
        return e.useCandidate || e.nominateOnSuccess ? Answer.NOMINATED : Answer.VALID;
    }

    void unfreeze(String foundation) {
        for (CheckEntry e : entries) {
            if (e.state == PairState.FROZEN && e.pair.foundation().equals(foundation)) {
                e.state = PairState.WAITING;
            }
        }
    }

    CheckEntry bestValid() {
        return best(false);
    }

    CheckEntry bestNominated() {
        return best(true);
    }

    private CheckEntry best(boolean nominated) {
        CheckEntry best = null;
        for (CheckEntry e : entries) {
            if (e.valid && (!nominated || e.nominated) && (best == null || e.pair.priority() > best.pair.priority())) {
                best = e;
            }
        }
        return best;
    }

    /** After a role switch every pair priority changes (G and D swap, RFC 8445 §6.1.2.3). */
    void reprioritise(IceRole role) {
        for (CheckEntry e : entries) {
            e.pair = CandidatePair.of(e.pair.local(), e.pair.remote(), role == IceRole.CONTROLLING);
        }
    }

    /** True while a pair of higher priority than {@code priority} may still succeed. */
    boolean pendingAbove(long priority) {
        for (CheckEntry e : entries) {
            if (e.pair.priority() > priority
                    && (e.state == PairState.WAITING || e.state == PairState.FROZEN || e.state == PairState.IN_PROGRESS)) {
                return true;
            }
        }
        return false;
    }

    boolean allFailed() {
        return !entries.isEmpty() && triggered.isEmpty() && entries.stream().allMatch(e -> e.state == PairState.FAILED);
    }

    boolean hasWork() {
        return !triggered.isEmpty()
                || entries.stream().anyMatch(e -> e.state == PairState.WAITING || e.state == PairState.FROZEN);
    }

    List<CheckEntry> entries() {
        return entries;
    }

    List<LocalCandidate> locals() {
        return List.copyOf(locals);
    }

    /** The pair of highest priority, whatever its state, or null (ICE-lite on both sides, RFC 8445 §8.2.2). */
    CheckEntry highest() {
        CheckEntry best = null;
        for (CheckEntry e : entries) {
            if (best == null || e.pair.priority() > best.pair.priority()) {
                best = e;
            }
        }
        return best;
    }

    // ---- message checks (RFC 8445 §7.3, RFC 8489 §9.1.3) ----

    static RequestCheck authenticate(StunMessage req, IceCredentials local) {
        if (!req.method().equals(io.rtc4j.stun.StunMethod.BINDING)) {
            return new RequestCheck(-1);
        }
        Username u = req.getOrNull(Username.class);
        if (u == null || !req.hasIntegrity()) {
            return new RequestCheck(400);
        }
        int colon = u.value().indexOf(':');
        if (colon < 0 || !u.value().substring(0, colon).equals(local.ufrag())) {
            return new RequestCheck(401);
        }
        if (!req.verifyIntegrity(IceMessages.key(local))) {
            return new RequestCheck(401);
        }
        return new RequestCheck(0);
    }

    static IceRole roleOf(StunMessage req) {
        if (req.has(IceControlling.class)) {
            return IceRole.CONTROLLING;
        }
        return req.has(IceControlled.class) ? IceRole.CONTROLLED : null;
    }

    /**
     * RFC 8445 §7.3.1.1, both sides claim {@code role}: true to answer 487, false to switch roles. The larger
     * tie-breaker ends up controlling: a controlling winner answers 487, a controlled winner takes over; a loser
     * yields (controlling) or answers 487 (controlled). A lite agent facing a full one is controlled (§6.1.1).
     */
    static boolean answer487(boolean lite, IceRole role, long ours, long theirs) {
        if (lite) {
            return role == IceRole.CONTROLLED;
        }
        boolean weWin = Long.compareUnsigned(ours, theirs) >= 0;
        return role == IceRole.CONTROLLING ? weWin : !weWin;
    }

    static long tieBreakerOf(StunMessage req) {
        IceControlling c = req.getOrNull(IceControlling.class);
        if (c != null) {
            return c.value();
        }
        IceControlled d = req.getOrNull(IceControlled.class);
        return d == null ? 0 : d.value();
    }

    /** PRIORITY of a check: the local candidate's priority as if it were peer-reflexive (RFC 8445 §7.1.1). */
    static long prflxPriority(LocalCandidate l) {
        return ((long) CandidateType.PEER_REFLEXIVE.typePreference() << 24) | (l.candidate().priority() & 0xFFFFFFL);
    }
}
