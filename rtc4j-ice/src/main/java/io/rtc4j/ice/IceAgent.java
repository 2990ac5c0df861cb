package io.rtc4j.ice;

import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunRetransmission;
import io.rtc4j.stun.StunTransactionOutput;
import io.rtc4j.stun.StunTransactions;
import io.rtc4j.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A full ICE agent (RFC 8445) for one data stream, sans-IO: candidates, STUN datagrams and time go in;
 * checks, responses, state changes and the selected pair come out. Trickle ICE (RFC 8838): candidates may be
 * added at any time, and failure waits for the end of remote candidates. Consent freshness (RFC 7675) keeps
 * the selected pair alive. Gathering (interfaces, STUN, TURN) is the driver's: it adds local candidates.
 *
 * <p>Not thread-safe: one driver owns an agent. Time and randomness are injected.
 */
public final class IceAgent {
    private final IceAgentConfig config;
    private final RandomGenerator random;
    private final IceCredentials local;
    private final long tieBreaker;
    private final IceChecks checks;
    private final StunTransactions transactions;
    private final Map<TransactionId, Sent> sent = new HashMap<>();
    private final ArrayDeque<IceOutput> outputs = new ArrayDeque<>();
    private IceCredentials remote;
    private IceRole role;
    private IceConnectionState state = IceConnectionState.NEW;
    private Instant nextCheck = Instant.MAX;
    private Instant nominateAt = Instant.MAX;
    private Instant nextConsent = Instant.MAX;
    private Instant lastConsent;
    private CheckEntry selected;
    private boolean nominating; // a USE-CANDIDATE check is on its way
    private long dropped;

    /** A request on the wire: which pair, between which addresses, and whether it is a consent check. */
    private record Sent(CheckEntry entry, InetSocketAddress from, InetSocketAddress to, boolean consent) {}

    public IceAgent(IceAgentConfig config, IceCredentials localCredentials, RandomGenerator random) {
        this.config = config;
        this.random = random;
        this.local = localCredentials;
        this.role = config.role();
        this.tieBreaker = random.nextLong();
        this.checks = new IceChecks(config.maxPairs());
        this.transactions = new StunTransactions(StunRetransmission.udp(config.checkRto()));
    }

    public IceCredentials localCredentials() {
        return local;
    }

    public IceRole role() {
        return role;
    }

    public IceConnectionState state() {
        return state;
    }

    /** Inputs that were not for us or failed authentication, counted. */
    public long dropped() {
        return dropped;
    }

    /** The remote ufrag and pwd, from the offer or answer. Checks start once these and a pair exist. */
    public void setRemoteCredentials(Instant now, IceCredentials credentials) {
        this.remote = credentials;
        maybeStart(now);
    }

    public void addLocalCandidate(Instant now, LocalCandidate candidate) {
        checks.addLocal(candidate, role);
        maybeStart(now);
    }

    /** A trickled remote candidate (RFC 8838 §11). mDNS names must be resolved by the driver first. */
    public void addRemoteCandidate(Instant now, IceCandidate candidate) {
        checks.addRemote(candidate, role);
        maybeStart(now);
    }

    /** The remote side signalled end-of-candidates (RFC 8838 §13): the agent may now conclude failure. */
    public void endOfRemoteCandidates(Instant now) {
        checks.remoteDone = true;
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
        IceChecks.RequestCheck verdict = IceChecks.authenticate(req, local);
        if (verdict.errorCode() != 0) {
            dropped++;
            if (verdict.errorCode() != -1) {
                send(at, source, IceMessages.error(req, verdict.errorCode(), null));
            }
            return;
        }
        // RFC 8445 §7.3.1.1 role conflict
        IceRole theirs = IceChecks.roleOf(req);
        long theirTie = IceChecks.tieBreakerOf(req);
        if (theirs == role) {
            boolean weWin = Long.compareUnsigned(tieBreaker, theirTie) >= 0;
            // the larger tie-breaker ends up controlling: a controlling winner answers 487, a controlled
            // winner takes over; a loser yields (controlling) or answers 487 (controlled)
            boolean answer487 = role == IceRole.CONTROLLING ? weWin : !weWin;
            if (answer487) {
                send(at, source, IceMessages.error(req, 487, local));
                return;
            }
            switchRole();
        }
        send(at, source, IceMessages.success(req, source, local));
        IceCandidate learned = checks.learnRemote(source, req, role);
        if (learned != null) {
            outputs.add(new IceOutput.RemoteCandidateLearned(learned));
        }
        CheckEntry e = checks.entryFor(at, source, role);
        if (e == null) {
            return; // no local candidate with that base: nothing to check back from
        }
        if (req.has(io.rtc4j.stun.UseCandidate.class) && role == IceRole.CONTROLLED) {
            if (e.state == PairState.SUCCEEDED) {
                nominate(now, e);
            } else {
                e.nominateOnSuccess = true;
            }
        }
        if (e.state != PairState.SUCCEEDED && e.inFlight == null) {
            e.state = PairState.WAITING;
            checks.trigger(e); // RFC 8445 §7.3.1.4 triggered check
        }
        maybeStart(now);
    }

    private void onResponse(Instant now, InetSocketAddress at, InetSocketAddress source, StunMessage res) {
        Sent s = sent.get(res.transactionId());
        if (s == null || remote == null || !res.verifyIntegrity(IceMessages.key(remote))) {
            dropped++; // not ours, or forged: it must not end the transaction
            return;
        }
        if (!transactions.handleResponse(now, res)) {
            dropped++;
            return;
        }
        sent.remove(res.transactionId());
        pumpTransactions();
        CheckEntry e = s.entry();
        e.inFlight = null;
        if (res.messageClass() == io.rtc4j.stun.StunClass.ERROR_RESPONSE) {
            io.rtc4j.stun.ErrorCode code = res.getOrNull(io.rtc4j.stun.ErrorCode.class);
            if (code != null && code.code() == 487 && !s.consent()) {
                switchRole(); // RFC 8445 §7.2.5.1: swap and try the pair again
                e.state = PairState.WAITING;
                checks.trigger(e);
            } else if (!s.consent()) {
                e.state = PairState.FAILED;
                nominating &= !e.useCandidate;
                e.useCandidate = false;
            }
            concludeIfFailed();
            return;
        }
        if (!source.equals(s.to()) || !at.equals(s.from())) {
            if (!s.consent()) {
                e.state = PairState.FAILED; // RFC 8445 §7.2.5.2.1: not symmetric
            }
            concludeIfFailed();
            return;
        }
        if (s.consent()) {
            consentConfirmed(now);
            return;
        }
        e.state = PairState.SUCCEEDED;
        e.valid = true;
        checks.unfreeze(e.pair.foundation()); // RFC 8445 §7.2.5.3.3
        if (e.useCandidate || e.nominateOnSuccess) {
            nominate(now, e);
            return;
        }
        if (selected == null || (!selected.nominated && e.pair.priority() > selected.pair.priority())) {
            select(now, e); // usable before nomination, as browsers do
        }
        if (role == IceRole.CONTROLLING && nominateAt == Instant.MAX) {
            nominateAt = now.plus(config.nominationDelay());
        }
        maybeNominate(now);
    }

    /**
     * Regular nomination (RFC 8445 §8.1.1): the controlling agent nominates its best valid pair once no pair
     * of higher priority is still pending, or when {@code nominationDelay} has passed since the first valid
     * pair (pairs that will never answer would otherwise hold it for the whole check timeout).
     */
    private void maybeNominate(Instant now) {
        if (role != IceRole.CONTROLLING || nominating || (selected != null && selected.nominated)) {
            return;
        }
        CheckEntry best = checks.bestValid();
        if (best == null || (checks.pendingAbove(best.pair.priority()) && now.isBefore(nominateAt))) {
            return;
        }
        nominating = true;
        nominateAt = Instant.MAX;
        best.useCandidate = true;
        checks.triggerFirst(best);
        nextCheck = now; // the nominating check goes out at once
    }

    /** Runs due checks, retransmissions, nomination and consent. */
    public void handleTimeout(Instant now) {
        if (state == IceConnectionState.CLOSED) {
            return;
        }
        transactions.handleTimeout(now);
        pumpTransactions();
        if (!now.isBefore(nominateAt)) {
            maybeNominate(now);
        }
        if (!now.isBefore(nextCheck)) {
            nextCheck = sendNextCheck(now) ? now.plus(config.ta()) : Instant.MAX;
        }
        if (selected != null && !now.isBefore(nextConsent)) {
            sendCheck(now, selected, true);
            double jitter = 0.8 + 0.4 * random.nextDouble(); // RFC 7675 §5.1: randomised interval
            nextConsent = now.plus(Duration.ofNanos((long) (config.consentInterval().toNanos() * jitter)));
        }
        if (lastConsent != null) {
            Duration silent = Duration.between(lastConsent, now);
            if (silent.compareTo(config.consentTimeout()) >= 0) {
                fail(); // RFC 7675 §5.1: consent expired, stop sending
            } else if (silent.compareTo(config.disconnectedAfter()) >= 0 && isConnected()) {
                setState(IceConnectionState.DISCONNECTED);
            }
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
        Instant next = min(min(transactions.nextDeadline(), nextCheck), min(nominateAt, nextConsent));
        if (lastConsent != null) {
            next = min(next, lastConsent.plus(config.consentTimeout()));
            if (isConnected()) {
                next = min(next, lastConsent.plus(config.disconnectedAfter()));
            }
        }
        return new IceOutput.Timeout(next);
    }

    /** Stops everything; later inputs are ignored. */
    public void close() {
        setState(IceConnectionState.CLOSED);
    }

    // ---- internals ----

    private void maybeStart(Instant now) {
        if (remote != null && checks.hasWork() && (state == IceConnectionState.NEW || nextCheck == Instant.MAX)
                && state != IceConnectionState.FAILED && state != IceConnectionState.CLOSED) {
            if (state == IceConnectionState.NEW) {
                setState(IceConnectionState.CHECKING);
            }
            if (nextCheck == Instant.MAX) {
                nextCheck = now;
            }
        }
    }

    private boolean sendNextCheck(Instant now) {
        if (remote == null || (selected != null && selected.nominated)) {
            return false; // nominated: ordinary checks are over (RFC 8445 §8.1.2)
        }
        CheckEntry e = checks.next();
        if (e == null) {
            return false;
        }
        sendCheck(now, e, false);
        return true;
    }

    private void sendCheck(Instant now, CheckEntry e, boolean consent) {
        TransactionId tid = TransactionId.random(random);
        byte[] request = IceMessages.check(tid, local, remote, IceChecks.prflxPriority(e.pair.local()), role, tieBreaker,
                e.useCandidate && !consent);
        InetSocketAddress from = e.pair.local().sendAddress();
        InetSocketAddress to = e.pair.remote().socketAddress().orElseThrow();
        sent.put(tid, new Sent(e, from, to, consent));
        if (!consent) {
            e.state = PairState.IN_PROGRESS;
            e.inFlight = tid;
        }
        transactions.start(now, request);
        pumpTransactions();
    }

    private void pumpTransactions() {
        while (true) {
            switch (transactions.pollOutput()) {
                case StunTransactionOutput.Transmit t -> {
                    Sent s = sent.get(t.id());
                    if (s != null) {
                        outputs.add(new IceOutput.Transmit(s.from(), s.to(), t.data()));
                    }
                }
                case StunTransactionOutput.TimedOut t -> {
                    Sent s = sent.remove(t.id());
                    if (s != null && !s.consent()) {
                        s.entry().inFlight = null;
                        s.entry().state = PairState.FAILED;
                        nominating &= !s.entry().useCandidate;
                        s.entry().useCandidate = false;
                        concludeIfFailed();
                    }
                }
                case StunTransactionOutput.ResponseReceived r -> {} // handled where it arrived
                case StunTransactionOutput.Timeout t -> {
                    return;
                }
            }
        }
    }

    private void send(InetSocketAddress from, InetSocketAddress to, byte[] data) {
        outputs.add(new IceOutput.Transmit(from, to, ByteBuffer.wrap(data)));
    }

    private void nominate(Instant now, CheckEntry e) {
        e.nominated = true;
        e.useCandidate = false;
        nominating = false;
        CheckEntry best = checks.bestNominated();
        select(now, best == null ? e : best);
        setState(role == IceRole.CONTROLLING || checks.remoteDone ? IceConnectionState.COMPLETED : IceConnectionState.CONNECTED);
    }

    private void select(Instant now, CheckEntry e) {
        if (selected != e) {
            selected = e;
            outputs.add(new IceOutput.SelectedPairChanged(e.pair));
            lastConsent = now;
            nextConsent = now.plus(config.consentInterval());
        }
        if (!isConnected()) {
            setState(IceConnectionState.CONNECTED);
        }
    }

    private void consentConfirmed(Instant now) {
        lastConsent = now;
        if (state == IceConnectionState.DISCONNECTED) {
            setState(selected != null && selected.nominated && (role == IceRole.CONTROLLING || checks.remoteDone)
                    ? IceConnectionState.COMPLETED
                    : IceConnectionState.CONNECTED);
        }
    }

    private void switchRole() {
        role = role.other();
        checks.reprioritise(role);
        outputs.add(new IceOutput.RoleChanged(role));
    }

    private void concludeIfFailed() {
        if (selected == null && checks.remoteDone && checks.allFailed() && sent.values().stream().noneMatch(s -> !s.consent())
                && state != IceConnectionState.CLOSED) {
            fail();
        }
    }

    private void fail() {
        nextCheck = Instant.MAX;
        nominateAt = Instant.MAX;
        nextConsent = Instant.MAX;
        lastConsent = null;
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

    /** The pairs in checklist order, for tests and stats. */
    public List<CandidatePair> pairs() {
        List<CandidatePair> out = new ArrayList<>();
        checks.entries().stream().sorted(Comparator.comparingLong((CheckEntry c) -> c.pair.priority()).reversed())
                .forEach(c -> out.add(c.pair));
        return out;
    }
}
