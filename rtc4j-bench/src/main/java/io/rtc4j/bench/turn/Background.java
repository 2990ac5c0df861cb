package io.rtc4j.bench.turn;

import io.rtc4j.testkit.proc.TurnServerProcess;
import java.io.IOException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How much CPU other processes took while we measured: the machine's task time (/proc/stat) minus that of
 * the load generator and the servers. On a shared 2-core machine this says how much a figure may be off.
 * Tick-granular (10 ms); a reading that fails is skipped, never fatal.
 */
final class Background {
    /** Readings at the start of one measurement. */
    record Mark(long nanos, long machineTicks, long ownTicks, Map<Long, Long> serverTicks) {}

    private long foreignTicks;
    private double seconds;
    private double worstShare;

    /** Null if /proc could not be read. */
    Mark mark(Collection<TurnServerProcess> servers) {
        try {
            return new Mark(System.nanoTime(), ProcStats.machineTaskTicks(), ownTicks(), serverTicks(servers));
        } catch (IOException e) {
            return null;
        }
    }

    void add(Mark mark, Collection<TurnServerProcess> servers) {
        if (mark == null) {
            return;
        }
        try {
            double s = (System.nanoTime() - mark.nanos()) / 1e9;
            long ours = ownTicks() - mark.ownTicks();
            for (Map.Entry<Long, Long> e : serverTicks(servers).entrySet()) {
                Long before = mark.serverTicks().get(e.getKey());
                if (before != null) {
                    ours += e.getValue() - before;
                }
            }
            long foreign = Math.max(0, ProcStats.machineTaskTicks() - mark.machineTicks() - ours);
            foreignTicks += foreign;
            seconds += s;
            if (s > 0.5) {
                worstShare = Math.max(worstShare, foreign / (double) ProcStats.clockTicksPerSecond() / s);
            }
        } catch (IOException e) {
            // a server exited meanwhile: skip this reading
        }
    }

    /** Average CPUs (1.0 = one whole core) other processes used during the measurements. */
    double averageCpus() {
        return seconds == 0 ? 0 : foreignTicks / (double) ProcStats.clockTicksPerSecond() / seconds;
    }

    /** The highest such average over one measurement of at least half a second. */
    double worstCpus() {
        return worstShare;
    }

    private static long ownTicks() throws IOException {
        return ProcStats.sample(ProcessHandle.current().pid()).cpuTicks();
    }

    private static Map<Long, Long> serverTicks(Collection<TurnServerProcess> servers) throws IOException {
        Map<Long, Long> ticks = new HashMap<>();
        for (TurnServerProcess s : servers) {
            if (s.process().isAlive()) {
                ticks.put(s.pid(), ProcStats.sample(s.pid()).cpuTicks());
            }
        }
        return ticks;
    }
}
