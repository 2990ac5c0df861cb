package io.rtc4j.ice;

import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunRetransmission;
import io.rtc4j.stun.StunTransactionOutput;
import io.rtc4j.stun.StunTransactions;
import io.rtc4j.stun.TransactionId;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The agent's outstanding checks as STUN transactions (RFC 8489 §6.2 retransmission): which generation, pair and
 * addresses each one belongs to, so that an answer is matched, verified with that generation's credentials, and
 * told apart from answers to checks an ICE restart has abandoned.
 */
final class IceCheckTransactions {
    /** A request on the wire: its generation and pair, between which addresses, and whether it is a consent check. */
    record Sent(IceGeneration gen, CheckEntry entry, InetSocketAddress from, InetSocketAddress to, boolean consent) {}

    private final StunTransactions transactions;
    private final RandomGenerator random;
    private final Map<TransactionId, Sent> sent = new HashMap<>();
    /** Checks that are no longer retransmitted and whose silence is no failure, but whose answer still counts. */
    private final java.util.Set<TransactionId> cancelled = new java.util.HashSet<>();

    IceCheckTransactions(Duration rto, RandomGenerator random) {
        this.transactions = new StunTransactions(StunRetransmission.udp(rto));
        this.random = random;
    }

    /** Sends a check (RFC 8445 §7.2.2) or a consent check (RFC 7675 §5.1) on {@code e} with {@code g}'s credentials. */
    void start(Instant now, IceGeneration g, CheckEntry e, boolean consent, IceRole role, long tieBreaker) {
        TransactionId tid = TransactionId.random(random);
        byte[] request = IceMessages.check(tid, g.local, g.remote, IceChecks.prflxPriority(e.pair.local()), role,
                tieBreaker, e.useCandidate && !consent);
        sent.put(tid, new Sent(g, e, e.pair.local().sendAddress(), e.pair.remote().socketAddress().orElseThrow(), consent));
        if (!consent) {
            e.state = PairState.IN_PROGRESS;
            e.inFlight = tid;
        }
        transactions.start(now, request);
    }

    /**
     * The request {@code res} answers, once its integrity checks out with the credentials that request used: the
     * transaction ends. Null for answers to nothing outstanding, to abandoned checks, or forged ones, which must
     * not end a transaction.
     */
    Sent answered(Instant now, StunMessage res) {
        Sent s = sent.get(res.transactionId());
        if (s == null || s.gen().remote == null || !res.verifyIntegrity(IceMessages.key(s.gen().remote))
                || !transactions.handleResponse(now, res)) {
            return null;
        }
        sent.remove(res.transactionId());
        cancelled.remove(res.transactionId());
        return s;
    }

    /**
     * RFC 8445 §7.3.1.4: the peer's check arrived for a pair whose own check is in progress. That transaction is
     * cancelled: not retransmitted, its silence no failure, though an answer still counts; a triggered check
     * replaces it (a peer that could not yet authenticate the first one, because our description had not
     * reached it, answers the new one at once instead of after a retransmission timeout).
     */
    void cancel(TransactionId id) {
        if (sent.containsKey(id)) {
            cancelled.add(id);
        }
    }

    /** An ICE restart: ordinary checks are abandoned (answers to them are stale); consent checks go on. */
    void abandonChecks() {
        sent.values().removeIf(s -> !s.consent());
        cancelled.retainAll(sent.keySet());
    }

    boolean checksInFlight() {
        return sent.values().stream().anyMatch(s -> !s.consent());
    }

    void handleTimeout(Instant now) {
        transactions.handleTimeout(now);
    }

    Instant nextDeadline() {
        return transactions.nextDeadline();
    }

    /** Hands out what is due: (re)transmissions to {@code transmit}, requests that got no answer to {@code timedOut}. */
    void pump(Consumer<IceOutput.Transmit> transmit, Consumer<Sent> timedOut) {
        for (int i = 0; i < 100_000; i++) {
            switch (transactions.pollOutput()) {
                case StunTransactionOutput.Transmit t -> {
                    Sent s = sent.get(t.id());
                    if (s != null && !cancelled.contains(t.id())) { // abandoned and cancelled checks are not resent
                        transmit.accept(new IceOutput.Transmit(s.from(), s.to(), t.data()));
                    }
                }
                case StunTransactionOutput.TimedOut t -> {
                    Sent s = sent.remove(t.id());
                    if (s != null && !cancelled.remove(t.id())) {
                        timedOut.accept(s);
                    }
                }
                case StunTransactionOutput.ResponseReceived r -> {} // handled where it arrived
                case StunTransactionOutput.Timeout t -> {
                    return;
                }
            }
        }
        throw new IllegalStateException("STUN transactions never returned Timeout");
    }
}
