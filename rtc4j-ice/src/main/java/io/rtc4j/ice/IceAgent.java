package io.rtc4j.ice;

import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.UseCandidate;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An ICE agent (RFC 8445) for one data stream, sans-IO: candidates, STUN datagrams and time go in; checks,
 * responses, state changes and the selected pair come out. Trickle ICE (RFC 8838): candidates may be added at
 * any time, and failure waits for the end of remote candidates. Consent freshness (RFC 7675) keeps the
 * selected pair alive. Gathering (interfaces, STUN, TURN) is the driver's: it adds local candidates.
 *
 * <p>ICE restart (RFC 8445 §9): {@link #restart} with new credentials, or new remote credentials through
 * {@link #setRemoteCredentials}, start a new generation of checks; the selected pair keeps carrying data and
 * consent until the new generation nominates a pair, which then comes out as {@link IceOutput.SelectedPairChanged}.
 * Answers to checks of an older generation are dropped. Restarting from FAILED or DISCONNECTED recovers.
 *
 * <p>ICE-lite ({@link IceAgentConfig#liteDefaults}, RFC 8445 §2.5): the agent answers checks and selects the pair the full
 * peer nominates, but sends no checks; a full agent told of a lite peer ({@link #setRemoteLite}) controls.
 * Nomination by a peer that sets USE-CANDIDATE on every check (aggressive, RFC 5245) is accepted: the highest
 * priority nominated pair wins.
 *
 * <p>Not thread-safe: one driver owns an agent. Time and randomness are injected.
 */
public final class IceAgent {
    private final IceAgentConfig config;
    private final RandomGenerator random;
    private final long tieBreaker;
    private final IceCheckTransactions transactions;
    private final ArrayDeque<IceOutput> outputs = new ArrayDeque<>();
    private IceGeneration gen;
    private IceGeneration previous; // during a restart: the generation of the selected pair, else null
    private IceRole role;
    private boolean remoteLite;
    private IceConnectionState state = IceConnectionState.NEW;
    private Instant nextCheck = Instant.MAX;
    private final IceConsent consent;
    private CheckEntry selected;
    private IceGeneration selectedGen;
    private long dropped;

    public IceAgent(IceAgentConfig config, IceCredentials localCredentials, RandomGenerator random) {
        this.config = config;
        this.random = random;
        this.role = config.role();
        this.tieBreaker = random.nextLong();
        this.gen = new IceGeneration(0, localCredentials, null, config.maxPairs());
        this.transactions = new IceCheckTransactions(config.checkRto(), random);
        this.consent = new IceConsent(config);
    }

    /** Our ufrag and pwd of the current generation: what the next offer or answer carries. */
    public IceCredentials localCredentials() {
        return gen.local;
    }

    /** 0 at first, one more with every restart. */
    public int generation() {
        return gen.number;
    }

    public IceRole role() {
        return role;
    }

    public IceConnectionState state() {
        return state;
    }

    public boolean isLite() {
        return config.lite();
    }

    /** The pair data goes on now, or null. */
    public CandidatePair selectedPair() {
        return selected == null ? null : selected.pair;
    }

    /** Inputs that were not for us, failed authentication or answered a check of an older generation, counted. */
    public long dropped() {
        return dropped;
    }

    /**
     * The remote ufrag and pwd, from the offer or answer. Checks start once these and a pair exist. Credentials
     * that differ from the current generation's mean the peer restarted ICE (RFC 8839 §4.4.1.1.2): the agent
     * restarts too, with fresh local credentials from its random source, announced in {@link IceOutput.IceRestarted}.
     */
    public void setRemoteCredentials(Instant now, IceCredentials credentials) {
        if (gen.remote == null) {
            gen.remote = credentials; // the first description, or the answer to our restart
            maybeStart(now);
        } else if (!gen.remote.equals(credentials)) {
            startGeneration(now, IceCredentials.random(random), credentials, true);
        }
    }

    /**
     * Starts an ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1) with new local credentials; the peer's new ones
     * follow through {@link #setRemoteCredentials}, its candidates through {@link #addRemoteCandidate}. Local
     * candidates are kept; new ones may be added.
     */
    public void restart(Instant now, IceCredentials newLocal) {
        if (state == IceConnectionState.CLOSED) {
            throw new IllegalStateException("closed");
        }
        if (newLocal.ufrag().equals(gen.local.ufrag()) || newLocal.pwd().equals(gen.local.pwd())) {
            throw new IllegalArgumentException("an ICE restart changes both ufrag and pwd (RFC 8839 §4.4.1.1.1)");
        }
        startGeneration(now, newLocal, null, false);
    }

    /** The peer announced ice-lite (RFC 8839 §5.3); a full agent then takes the controlling role (RFC 8445 §6.1.1). */
    public void setRemoteLite(Instant now, boolean lite) {
        remoteLite = lite;
        if (lite && !config.lite() && role != IceRole.CONTROLLING) {
            switchRole();
        }
        maybeStart(now);
    }

    public void addLocalCandidate(Instant now, LocalCandidate candidate) {
        if (config.lite() && candidate.candidate().type() != CandidateType.HOST) {
            throw new IllegalArgumentException("an ICE-lite agent has host candidates only (RFC 8445 §2.5)");
        }
        gen.checks.addLocal(candidate, role);
        maybeStart(now);
    }

    /** A trickled remote candidate (RFC 8838 §11) of the current generation; mDNS names resolved by the driver. */
    public void addRemoteCandidate(Instant now, IceCandidate candidate) {
        gen.checks.addRemote(candidate, role);
        maybeStart(now);
    }

    /** The remote side signalled end-of-candidates (RFC 8838 §13): the agent may now conclude failure. */
    public void endOfRemoteCandidates(Instant now) {
        gen.checks.remoteDone = true;
        // RFC 8445 §8.1.2 (with RFC 8838 §11): a controlled agent whose pair was nominated before the peer's
        // end-of-candidates arrived completes now
        if (state == IceConnectionState.CONNECTED && selected != null && selected.nominated && selectedGen == gen) {
            setState(IceConnectionState.COMPLETED);
        }
        concludeIfFailed();
    }

    /**
     * A datagram that arrived at our transport address {@code localAddress} (a base, or a relayed address) from
     * {@code source}. Anything but a STUN Binding request or response for this agent is dropped and counted.
     */
    public void handleInput(Instant now, InetSocketAddress localAddress, InetSocketAddress source, ByteBuffer data) {
        if (state == IceConnectionState.CLOSED || !StunCodec.isStun(data)) {
            dropped++;
            return;
        }
        StunMessage m;
        try {
            m = StunCodec.decode(data);
        } catch (StunParseException e) {
            dropped++;
            return;
        }
        switch (m.messageClass()) {
            case REQUEST -> onRequest(now, localAddress, source, m);
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> onResponse(now, localAddress, source, m);
            default -> dropped++;
        }
    }

    private void onRequest(Instant now, InetSocketAddress at, InetSocketAddress source, StunMessage req) {
        IceChecks.RequestCheck verdict = IceChecks.authenticate(req, gen.local);
        if (verdict.errorCode() == 401 && previous != null
                && IceChecks.authenticate(req, previous.local).errorCode() == 0) {
            // RFC 8445 §9: the old generation's pair stays in use until the new one selects: answer its consent
            send(at, source, IceMessages.success(req, source, previous.local));
            if (config.lite() && selected != null && selected.sameEndpoints(at, source)) {
                consentConfirmed(now);
            }
            return;
        }
        if (verdict.errorCode() != 0) {
            dropped++;
            if (verdict.errorCode() != -1) {
                send(at, source, IceMessages.error(req, verdict.errorCode(), null));
            }
            return;
        }
        // RFC 8445 §7.3.1.1 role conflict
        IceRole theirs = IceChecks.roleOf(req);
        if (theirs == role) {
            if (IceChecks.answer487(config.lite(), role, tieBreaker, IceChecks.tieBreakerOf(req))) {
                send(at, source, IceMessages.error(req, 487, gen.local));
                return;
            }
            switchRole();
        }
        send(at, source, IceMessages.success(req, source, gen.local));
        if (state == IceConnectionState.FAILED) {
            return; // RFC 7675 §5.1: lost consent is not regained; an ICE restart starts over
        }
        if (state == IceConnectionState.NEW) {
            setState(IceConnectionState.CHECKING); // a lite agent's checking starts with the peer's first check
        }
        IceCandidate learned = gen.checks.learnRemote(source, req, role);
        if (learned != null) {
            outputs.add(new IceOutput.RemoteCandidateLearned(learned));
        }
        CheckEntry e = gen.checks.entryFor(at, source, role);
        if (e == null) {
            return; // no local candidate with that base: nothing to check back from
        }
        boolean useCandidate = req.has(UseCandidate.class) && role == IceRole.CONTROLLED;
        if (config.lite()) {
            // RFC 8445 §7.3.1.5, §8.2.1: no triggered check; the full peer's check proved the pair
            if (useCandidate) {
                e.state = PairState.SUCCEEDED;
                e.valid = true;
                nominate(now, e);
            }
            if (e == selected) {
                consentConfirmed(now); // RFC 7675: the full peer's consent checks are the lite side's liveness
            }
            return;
        }
        if (useCandidate) {
            if (e.state == PairState.SUCCEEDED) {
                nominate(now, e);
            } else {
                e.nominateOnSuccess = true; // RFC 8445 §7.3.1.5
            }
        }
        if (e.state != PairState.SUCCEEDED) {
            if (e.inFlight != null) {
                // RFC 8445 §7.3.1.4: in progress: cancel that transaction (its answer still counts) and check again
                // now; the peer may have answered the first one with 401 because our description had not reached it
                transactions.cancel(e.inFlight);
                e.inFlight = null;
            }
            e.state = PairState.WAITING;
            gen.checks.trigger(e); // RFC 8445 §7.3.1.4 triggered check
        }
        maybeStart(now);
    }

    private void onResponse(Instant now, InetSocketAddress at, InetSocketAddress source, StunMessage res) {
        IceCheckTransactions.Sent s = transactions.answered(now, res);
        if (s == null) {
            dropped++; // not ours, of an abandoned generation, or forged
            return;
        }
        pumpTransactions();
        CheckEntry e = s.entry();
        boolean symmetric = source.equals(s.to()) && at.equals(s.from());
        if (s.consent()) {
            if (e == selected && symmetric && res.messageClass() == StunClass.SUCCESS_RESPONSE) {
                consentConfirmed(now);
            }
            return;
        }
        switch (gen.checks.answered(e, res, symmetric)) {
            case ROLE_CONFLICT -> switchRole(); // RFC 8445 §7.2.5.1: swap and try the pair again
            case FAILED -> checkFailed(s);
            case NOMINATED -> nominate(now, e);
            case VALID -> valid(now, e);
        }
    }

    private void valid(Instant now, CheckEntry e) {
        // usable before nomination, as browsers do; during a restart the old pair serves until nomination
        if (selected == null || (selectedGen == gen && !selected.nominated && e.pair.priority() > selected.pair.priority())) {
            select(now, e);
        }
        if (role == IceRole.CONTROLLING && gen.nominateAt == Instant.MAX) {
            gen.nominateAt = now.plus(config.nominationDelay());
        }
        maybeNominate(now);
    }

    /**
     * Regular nomination (RFC 8445 §8.1.1): the controlling agent nominates its best valid pair once no pair
     * of higher priority is still pending, or when {@code nominationDelay} has passed since the first valid
     * pair (pairs that will never answer would otherwise hold it for the whole check timeout).
     */
    private void maybeNominate(Instant now) {
        if (role != IceRole.CONTROLLING || config.lite() || gen.nominating || gen.nominated()) {
            return;
        }
        CheckEntry best = gen.checks.bestValid();
        if (best == null || (gen.checks.pendingAbove(best.pair.priority()) && now.isBefore(gen.nominateAt))) {
            return;
        }
        gen.nominating = true;
        gen.nominateAt = Instant.MAX;
        best.useCandidate = true;
        gen.checks.triggerFirst(best);
        nextCheck = now; // the nominating check goes out at once
    }

    /** Runs due checks, retransmissions, nomination and consent. */
    public void handleTimeout(Instant now) {
        if (state == IceConnectionState.CLOSED) {
            return;
        }
        transactions.handleTimeout(now);
        pumpTransactions();
        if (!now.isBefore(gen.nominateAt)) {
            maybeNominate(now);
        }
        if (!now.isBefore(nextCheck)) {
            nextCheck = sendNextCheck(now) ? now.plus(config.ta()) : Instant.MAX;
        }
        if (selected != null && consent.due(now, random)) {
            sendCheck(now, selectedGen, selected, true);
        }
        switch (consent.verdict(now)) {
            case EXPIRED -> {
                if (previous != null) {
                    dropSelected(); // RFC 7675 §5.1: stop using the old pair; the restart goes on
                    setState(IceConnectionState.CHECKING);
                } else {
                    fail(); // RFC 7675 §5.1: consent expired, stop sending
                }
            }
            case DISCONNECTED -> {
                if (isConnected()) {
                    setState(IceConnectionState.DISCONNECTED);
                }
            }
            case FRESH -> {}
        }
    }

    public IceOutput pollOutput() {
        IceOutput o = outputs.poll();
        if (o != null) {
            return o;
        }
        if (state == IceConnectionState.CLOSED || state == IceConnectionState.FAILED) {
            return new IceOutput.Timeout(Instant.MAX);
        }
        Instant next = min(min(transactions.nextDeadline(), nextCheck), min(gen.nominateAt, consent.deadline(isConnected())));
        return new IceOutput.Timeout(next);
    }

    /** Stops everything; later inputs are ignored. */
    public void close() {
        setState(IceConnectionState.CLOSED);
    }

    /** The pairs of the current generation in checklist order, for tests and stats. */
    public List<CandidatePair> pairs() {
        List<CandidatePair> out = new ArrayList<>();
        gen.checks.entries().stream().sorted(Comparator.comparingLong((CheckEntry c) -> c.pair.priority()).reversed())
                .forEach(c -> out.add(c.pair));
        return out;
    }

    // ---- internals ----

    // RFC 8445 §9
    private void startGeneration(Instant now, IceCredentials local, IceCredentials remote, boolean byPeer) {
        IceGeneration next = gen.next(local, remote, role, config.maxPairs());
        transactions.abandonChecks(); // the old generation's checks: their answers are stale now
        if (selected != null && state != IceConnectionState.FAILED) {
            previous = selectedGen; // keeps carrying data and consent until the new generation selects
        } else {
            dropSelected();
        }
        gen = next;
        nextCheck = Instant.MAX;
        if (state == IceConnectionState.FAILED || state == IceConnectionState.DISCONNECTED) {
            setState(IceConnectionState.CHECKING);
        }
        outputs.add(new IceOutput.IceRestarted(gen.number, local, byPeer));
        maybeStart(now);
    }

    private void maybeStart(Instant now) {
        if (config.lite()) {
            maybeSelectLite(now);
            return;
        }
        if (gen.remote != null && gen.checks.hasWork() && (state == IceConnectionState.NEW || nextCheck == Instant.MAX)
                && state != IceConnectionState.FAILED && state != IceConnectionState.CLOSED) {
            if (state == IceConnectionState.NEW) {
                setState(IceConnectionState.CHECKING);
            }
            if (nextCheck == Instant.MAX) {
                nextCheck = now;
            }
        }
    }

    // RFC 8445 §6.1.1, §8.2.2: both lite, no checks at all: each side takes the highest priority pair
    private void maybeSelectLite(Instant now) {
        if (!remoteLite || gen.remote == null || state == IceConnectionState.CLOSED) {
            return;
        }
        CheckEntry best = gen.checks.highest();
        if (best != null && best != selected) {
            best.state = PairState.SUCCEEDED;
            best.valid = true;
            nominate(now, best);
        }
    }

    private boolean sendNextCheck(Instant now) {
        if (config.lite() || gen.remote == null) {
            return false;
        }
        // nominated: ordinary checks are over (RFC 8445 §8.1.2); the controlled side still answers a peer that
        // nominates another pair (aggressive nomination) with the triggered check that makes it valid
        CheckEntry e = !gen.nominated() ? gen.checks.next() : role == IceRole.CONTROLLED ? gen.checks.nextTriggered() : null;
        if (e == null) {
            return false;
        }
        sendCheck(now, gen, e, false);
        return true;
    }

    private void sendCheck(Instant now, IceGeneration g, CheckEntry e, boolean consent) {
        transactions.start(now, g, e, consent, role, tieBreaker);
        pumpTransactions();
    }

    private void pumpTransactions() {
        transactions.pump(outputs::add, s -> {
            if (!s.consent()) { // consent checks that got no answer just leave consent to expire
                s.entry().inFlight = null;
                s.entry().state = PairState.FAILED;
                checkFailed(s);
            }
        });
    }

    private void checkFailed(IceCheckTransactions.Sent s) {
        s.gen().nominating &= !s.entry().useCandidate;
        s.entry().useCandidate = false;
        concludeIfFailed();
    }

    private void send(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        outputs.add(new IceOutput.Transmit(from, to, ByteBuffer.wrap(data)));
    }

    private void nominate(Instant now, CheckEntry e) {
        e.nominated = true;
        e.useCandidate = false;
        gen.nominating = false;
        CheckEntry best = gen.checks.bestNominated(); // aggressive nomination: the best of several nominated pairs
        select(now, best == null ? e : best);
        setState(role == IceRole.CONTROLLING || gen.checks.remoteDone || config.lite()
                ? IceConnectionState.COMPLETED
                : IceConnectionState.CONNECTED);
    }

    private void select(Instant now, CheckEntry e) {
        if (selected != e) {
            selected = e;
            selectedGen = gen;
            previous = null; // a restart ends here: the old generation's pair is let go
            outputs.add(new IceOutput.SelectedPairChanged(e.pair));
            consent.start(now, !config.lite(), !(config.lite() && remoteLite)); // two lite agents never check
        }
        if (!isConnected()) {
            setState(IceConnectionState.CONNECTED);
        }
    }

    private void dropSelected() {
        selected = null;
        selectedGen = null;
        previous = null;
        consent.stop();
    }

    private void consentConfirmed(Instant now) {
        consent.confirmed(now);
        if (state == IceConnectionState.DISCONNECTED) {
            setState(selected != null && selected.nominated
                    && (role == IceRole.CONTROLLING || gen.checks.remoteDone || config.lite())
                    ? IceConnectionState.COMPLETED
                    : IceConnectionState.CONNECTED);
        }
    }

    private void switchRole() {
        role = role.other();
        gen.checks.reprioritise(role);
        outputs.add(new IceOutput.RoleChanged(role));
    }

    private void concludeIfFailed() {
        if (selected == null && gen.checks.remoteDone && gen.checks.allFailed()
                && !transactions.checksInFlight() && state != IceConnectionState.CLOSED) {
            fail();
        }
    }

    private void fail() {
        nextCheck = Instant.MAX;
        gen.nominateAt = Instant.MAX;
        consent.stop();
        setState(IceConnectionState.FAILED);
    }

    private boolean isConnected() {
        return state == IceConnectionState.CONNECTED || state == IceConnectionState.COMPLETED;
    }

    private void setState(IceConnectionState s) {
        if (state != s && state != IceConnectionState.CLOSED) {
            state = s;
            outputs.add(new IceOutput.StateChanged(s));
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
