package io.rtc4j.bench.turn;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Finds the highest offered rate a relay forwards with zero loss: an unscored warm-up trial, then doubling from the
 * start rate until a trial loses a packet, then bisection between the best passing and the lowest failing rate
 * until they are within the precision. A failed trial is repeated up to {@code retries} times before it counts
 * as a failure, so that one scheduling hiccup on a shared 2-core machine does not end the climb. If the
 * generator itself cannot send at the offered rate the search stops there and says so.
 */
final class ZeroLossSearch {
    record Params(
            long startPps,
            long maxPps,
            long minPps,
            double precision,
            int maxTrials,
            int retries,
            long trialNanos,
            long warmupNanos,
            long warmupPps,
            long drainNanos,
            long pauseNanos) {}

    /** The best zero-loss trial (null if even the minimum rate lost packets) and how the search went. */
    record Result(RelayLoad.Trial best, boolean generatorLimited, int trials) {
        double pps() {
            return best == null ? 0 : best.deliveredPps();
        }
    }

    /** Runs one trial at an offered rate; {@link RelayLoad} in the tool, a model in tests. */
    @FunctionalInterface
    interface Trials {
        RelayLoad.Trial trial(long pps, long trialNanos, long maxDrainNanos) throws IOException;
    }

    private ZeroLossSearch() {}

    static Result run(Trials load, Params p, PrintStream log, String label) throws IOException {
        if (p.warmupNanos() > 0) {
            load.trial(p.warmupPps(), p.warmupNanos(), p.drainNanos()); // unscored: JIT of a JVM server, buffers
        }
        RelayLoad.Trial best = null;
        long lo = 0; // highest passing offered rate
        long hi = Long.MAX_VALUE; // lowest failing offered rate
        long rate = p.startPps();
        int trials = 0;
        boolean generatorLimited = false;
        while (trials < p.maxTrials()) {
            // attempts at one rate: stop at the first clean pass; a lossy or generator-limited attempt is
            // repeated (up to the retries) since either can be a passing hiccup of a shared machine
            boolean pass = false;
            boolean limitedPass = false;
            for (int attempt = 0; attempt <= p.retries() && trials < p.maxTrials(); attempt++) {
                pause(p.pauseNanos());
                RelayLoad.Trial t = load.trial(rate, p.trialNanos(), p.drainNanos());
                trials++;
                if (log != null) {
                    log.printf(
                            Locale.ROOT,
                            "    %s offered %,d pps: sent %,d (%,.0f pps) received %,d lost %d"
                                    + " [drops: peer sockets %d, server socket %d]%s%n",
                            label,
                            rate,
                            t.sent(),
                            t.sentPps(),
                            t.received(),
                            t.lost(),
                            t.peerDrops(),
                            t.serverDrops(),
                            t.zeroLoss() ? (t.generatorLimited() ? " GENERATOR-LIMITED" : " ok") : " LOSS");
                }
                if (t.zeroLoss()) {
                    if (best == null || t.deliveredPps() > best.deliveredPps()) {
                        best = t;
                    }
                    if (!t.generatorLimited()) {
                        pass = true;
                        break;
                    }
                    limitedPass = true;
                }
            }
            if (pass) {
                lo = rate;
            } else if (limitedPass) {
                generatorLimited = true; // no loss, but we could not offer this rate: the server may go higher
                break;
            } else {
                hi = rate;
            }
            long next;
            if (hi == Long.MAX_VALUE) {
                next = rate * 2;
                if (next > p.maxPps()) {
                    if (rate >= p.maxPps()) {
                        break; // passed at the cap
                    }
                    next = p.maxPps();
                }
            } else {
                if (lo > 0 && hi - lo <= p.precision() * lo) {
                    break;
                }
                next = (lo + hi) / 2;
                if (lo == 0 && next < p.minPps()) {
                    break; // loses even at the floor
                }
            }
            rate = next;
        }
        return new Result(best, generatorLimited, trials);
    }

    private static void pause(long nanos) {
        if (nanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        }
    }
}
