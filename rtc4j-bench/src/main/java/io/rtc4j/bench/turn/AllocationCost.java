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
            Duration settle,
            RandomGenerator random)
            throws IOException, InterruptedException {
        Duration timeout = Duration.ofSeconds(5);
        // warm-up sockets stay open until the end: a measured client must not get a warm-up client's port,
        // whose deleted allocation the server may still remember (437)
        List<TurnTestClient> warm = new ArrayList<>(warmup);
        List<TurnTestClient> clients = new ArrayList<>(count);
        try {
            for (int i = 0; i < warmup; i++) {
                warm.add(TurnTestClient.openAllocated(server, user, password, random, timeout, 3));
            }
            for (TurnTestClient c : warm) {
                c.release();
            }

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
