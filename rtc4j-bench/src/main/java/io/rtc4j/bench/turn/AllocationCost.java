package io.rtc4j.bench.turn;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What allocations cost the server: CPU seconds (utime+stime) and resident memory (VmRSS) of its process
 * before and after creating {@code count} authenticated UDP allocations, each from its own client socket
 * (one allocation per 5-tuple, RFC 8656 §7), with the full 401 challenge each. A warm-up round of
 * allocations is created and released first so that code paths are compiled and pools exist.
 */
final class AllocationCost {
    record Result(int count, double cpuSeconds, long rssDeltaKiB, long rssBeforeKiB, long rssAfterKiB, double wallSeconds) {
        double cpuSecondsPer1000() {
            return cpuSeconds * 1000.0 / count;
        }

        double rssMiBPer1000() {
            return rssDeltaKiB / 1024.0 * 1000.0 / count;
        }
    }

    private AllocationCost() {}

    static Result run(
            InetSocketAddress server,
            long pid,
            String user,
            String password,
            int count,
            int warmup,
            int maxWarmup,
            Duration settle,
            RandomGenerator random)
            throws IOException, InterruptedException {
        Duration timeout = Duration.ofSeconds(5);
        List<TurnTestClient> warm = new ArrayList<>();
        List<TurnTestClient> clients = new ArrayList<>(count);
        try {
            warm = warmUp(server, pid, user, password, warmupRound(count), warmup, maxWarmup, random, timeout);

            Thread.sleep(settle.toMillis());
            ProcStats.Sample before = ProcStats.sample(pid);
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) {
                clients.add(TurnTestClient.openAllocated(server, user, password, random, timeout, 3));
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(settle.toMillis());
            ProcStats.Sample after = ProcStats.sample(pid);
            for (TurnTestClient c : clients) {
                c.release();
            }
            return new Result(
                    count,
                    (after.cpuTicks() - before.cpuTicks()) / (double) ProcStats.clockTicksPerSecond(),
                    after.rssKiB() - before.rssKiB(),
                    before.rssKiB(),
                    after.rssKiB(),
                    wall);
        } finally {
            closeAll(clients);
            closeAll(warm);
        }
    }

    /**
     * Creates and releases allocations in rounds of {@code round} until the server's CPU per allocation stops
     * falling (two rounds in a row within 10% of the best so far), at least {@code min} and at most {@code max}
     * in all.
     * A JIT-compiled server is still compiling its allocation path after hundreds of allocations; a long
     * running server is not, and that steady state is what the figure describes. The last round's sockets
     * stay open until the end so that measured clients do not reuse their ports (the server may still
     * remember a deleted allocation's 5-tuple and answer 437).
     */
    private static List<TurnTestClient> warmUp(
            InetSocketAddress server,
            long pid,
            String user,
            String password,
            int round,
            int min,
            int max,
            RandomGenerator random,
            Duration timeout)
            throws IOException {
        double best = Double.MAX_VALUE;
        int flat = 0;
        List<TurnTestClient> last = new ArrayList<>();
        for (int done = 0; done < max; ) {
            closeAll(last);
            last = new ArrayList<>(round);
            int n = Math.max(1, Math.min(round, max - done));
            long before = ProcStats.sample(pid).cpuTicks();
            try {
                for (int i = 0; i < n; i++) {
                    last.add(TurnTestClient.openAllocated(server, user, password, random, timeout, 3));
                }
            } catch (TurnErrorException e) {
                // a server that keeps released relay ports for a while runs out during a long warm-up:
                // it is warm by then, so release what it gave and measure
                for (TurnTestClient c : last) {
                    c.release();
                }
                return last;
            }
            for (TurnTestClient c : last) {
                c.release();
            }
            double perAllocation = (ProcStats.sample(pid).cpuTicks() - before) / (double) n;
            done += n;
            flat = perAllocation > best * 0.9 ? flat + 1 : 0;
            best = Math.min(best, perAllocation);
            if (done >= min && flat >= 2) {
                break;
            }
        }
        return last;
    }

    /** Warm-up round size: big enough to read CPU ticks, small enough to leave relay ports for the measurement. */
    static int warmupRound(int count) {
        return Math.max(1, Math.min(count, 500));
    }

    private static void closeAll(List<TurnTestClient> clients) {
        for (TurnTestClient c : clients) {
            try {
                c.close();
            } catch (IOException e) {
                // closing a UDP socket: nothing to recover
            }
        }
    }
}
