package io.rtc4j.bench.turn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a process's CPU time and resident memory from Linux /proc: utime+stime of /proc/PID/stat (all
 * threads, exited ones included) and VmRSS of /proc/PID/status.
 */
final class ProcStats {
    private ProcStats() {}

    /** One reading. */
    record Sample(long pid, long cpuTicks, long rssKiB, int threads) {
        double cpuSeconds() {
            return cpuTicks / (double) clockTicksPerSecond();
        }
    }

    static Sample sample(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // fields after "(comm)": the comm may contain spaces, so split after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // man 5 proc: state is field 3, utime 14, stime 15, num_threads 20 (1-based, counting pid and comm)
        long utime = Long.parseLong(f[14 - 3]);
        long stime = Long.parseLong(f[15 - 3]);
        int threads = Integer.parseInt(f[20 - 3]);
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                break;
            }
        }
        return new Sample(pid, utime + stime, rss, threads);
    }

    /** CPU ticks (utime+stime) of each live thread, by thread id: to see how a server spreads load. */
    static java.util.Map<Long, Long> threadTicks(long pid) throws IOException {
        java.util.Map<Long, Long> ticks = new java.util.TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
                    ticks.put(Long.parseLong(task.getFileName().toString()),
                            Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]));
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return ticks;
    }

    /** "a%/b%/..." : each thread's share of one CPU between two {@link #threadTicks} readings, busiest first. */
    static String threadShares(java.util.Map<Long, Long> before, java.util.Map<Long, Long> after, double seconds) {
        List<Double> shares = new java.util.ArrayList<>();
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                shares.add(d / (double) clockTicksPerSecond() / seconds * 100);
            }
        }
        shares.sort(java.util.Comparator.reverseOrder());
        StringBuilder sb = new StringBuilder();
        for (double x : shares) {
            sb.append(sb.isEmpty() ? "" : "/").append(String.format(java.util.Locale.ROOT, "%.0f%%", x));
        }
        return sb.isEmpty() ? "idle" : sb.toString();
    }

    /**
     * Ticks the whole machine spent running tasks: user+nice+system+irq+softirq of the "cpu" line of
     * /proc/stat. With tick-based accounting (no CONFIG_IRQ_TIME_ACCOUNTING) an irq or softirq tick is added to
     * the interrupted task's stime but counted under irq/softirq here, so both belong on this side.
     */
    static long machineTaskTicks() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                        + Long.parseLong(f[7]);
            }
        }
        throw new IOException("no cpu line in /proc/stat");
    }

    /** USER_HZ (getconf CLK_TCK), 100 on Linux/x86 unless getconf says otherwise. */
    static long clockTicksPerSecond() {
        return Hz.VALUE;
    }

    /** Read once, on first use (holder idiom: no mutable static state). */
    private static final class Hz {
        static final long VALUE = read();

        private static long read() {
            long t = 100;
            try {
                Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                if (p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0) {
                    t = Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // keep 100
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return t;
        }
    }

    /**
     * Receive-buffer drops the kernel counted for UDP sockets bound to {@code ports} on IPv4 (the last column
     * of /proc/net/udp): tells loss in our own peer sockets apart from loss inside the server.
     */
    static long udpDrops(List<Integer> ports) throws IOException {
        long drops = 0;
        List<String> lines = Files.readAllLines(Path.of("/proc/net/udp"));
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).trim().split("\\s+");
            if (f.length < 13) {
                continue;
            }
            String local = f[1];
            int port = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
            if (ports.contains(port)) {
                drops += Long.parseLong(f[f.length - 1]);
            }
        }
        return drops;
    }
}
