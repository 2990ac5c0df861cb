package io.rtc4j.bench.turn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Command-line flags of {@link TurnBench}; {@code --quick} changes the defaults, explicit flags still win. */
record TurnBenchOptions(
        int runs,
        List<String> sides,
        boolean quick,
        boolean verbose,
        String pin,
        // STUN Binding
        int bindingSockets,
        int bindingWindow,
        long bindingMinWarmupMs,
        long bindingMaxWarmupMs,
        long bindingMs,
        // relay search
        List<RelayLoad.Mode> modes,
        List<Integer> payloads,
        int relayAllocations,
        long trialMs,
        long warmupTrialMs,
        long warmupPps,
        long drainMs,
        long pauseMs,
        long cpuProbePps,
        long cpuProbeMs,
        long startPps,
        long maxPps,
        double precision,
        int maxTrials,
        int retries,
        // allocation cost
        int allocations,
        int allocationWarmup,
        int allocationMaxWarmup,
        long settleMs,
        // servers
        int relayPorts,
        String realm,
        String user,
        String password,
        String coturnBinary,
        String rtc4jClasspath,
        String rtc4jJava,
        List<String> rtc4jJvmArgs,
        long seed) {

    static final String USAGE =
            """
            Usage: TurnBench [flags]    (Markdown table on stdout, progress on stderr)
              --runs N                 runs per server; medians are reported (default 3, quick 1)
              --only coturn|rtc4j      measure one server only
              --quick                  smoke test: 1 run, short trials, coarse search, 100 allocations
              --verbose                print every relay trial and per-thread CPU
              --pin GEN:SERVER         pin the generator and the server to CPU lists, e.g. 0:1 (default: none)
              --binding-sockets N      client sockets for the Binding load (2)
              --binding-window N       requests in flight per socket (32)
              --binding-min-warmup-ms MS  warm-up lasts until the rate stops rising, at least this (5000, quick 1000)
              --binding-max-warmup-ms MS  and at most this (20000, quick 3000)
              --binding-ms MS          measured Binding interval (3000, quick 1000)
              --modes channel,send     relay variants (both)
              --payloads 172,1200      relayed UDP payload sizes in bytes (both)
              --relay-allocations N    allocations (client sockets, peer sockets) carrying the load (2)
              --trial-ms MS            length of one relay trial (500, quick 200)
              --warmup-trial-ms MS     the unscored first trial of each search (2000, quick 300)
              --warmup-pps N           its rate (50000)
              --drain-ms MS            max wait for stragglers after a trial (300)
              --pause-ms MS            idle gap before each trial (100, quick 50)
              --cpu-probe-pps N        after each search, server CPU per packet at this fixed rate (100000; 0: skip)
              --cpu-probe-ms MS        length of that trial (2000, quick 500)
              --start-pps N            first offered rate (10000)
              --max-pps N              highest rate tried (2000000)
              --precision F            stop bisecting when (fail-pass)/pass <= F (0.05, quick 0.15)
              --max-trials N           bound on scored trials per search (24, quick 12)
              --retries N              repeats of a lossy trial before it counts as lossy (1)
              --allocations N          allocations measured for CPU/RSS (1000, quick 100)
              --allocation-warmup N    allocations created and released first, at least (500, quick 50)
              --allocation-max-warmup N  and at most; warm-up ends when CPU per allocation stops falling (30000, quick 200)
              --settle-ms MS           pause before each CPU/RSS reading (500)
              --relay-ports N          relay port range size given to each server (5000)
              --realm R --user U --password P   long-term credentials (rtc4j.bench / bench / bench-secret)
              --coturn-bin PATH        coturn's turnserver (turnserver on the PATH)
              --rtc4j-cp CLASSPATH     classpath of rtc4j's server (rtc4j-server/target/rtc4j.jar)
              --rtc4j-java PATH        java for rtc4j's server (this JVM's)
              --rtc4j-jvm-arg ARG      extra JVM flag for rtc4j's server, repeatable
              --seed N                 transaction-id randomness (1)
            """;

    static TurnBenchOptions parse(String[] args) {
        Map<String, List<String>> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a);
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (name.equals("quick") || name.equals("verbose") || name.equals("help")) {
                value = "true";
            } else {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " is unknown or needs a value");
                }
                value = args[++i];
            }
            flags.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        Flags f = new Flags(flags);
        if (f.has("help")) {
            throw new HelpRequested();
        }
        boolean quick = f.bool("quick");
        List<String> sides = f.has("only") ? List.of(f.choice("only", "coturn", "rtc4j")) : List.of("coturn", "rtc4j");
        List<RelayLoad.Mode> modes = new ArrayList<>();
        for (String m : f.str("modes", "channel,send").split(",")) {
            modes.add(switch (m.trim().toLowerCase(Locale.ROOT)) {
                case "channel", "channeldata" -> RelayLoad.Mode.CHANNEL;
                case "send", "indication" -> RelayLoad.Mode.SEND;
                default -> throw new IllegalArgumentException("--modes takes channel,send: " + m);
            });
        }
        List<Integer> payloads = new ArrayList<>();
        for (String p : f.str("payloads", "172,1200").split(",")) {
            int size = Integer.parseInt(p.trim());
            if (size < 8 || size > 65_000) {
                throw new IllegalArgumentException("payload sizes are 8..65000 bytes: " + size);
            }
            payloads.add(size);
        }
        TurnBenchOptions o = new TurnBenchOptions(
                f.integer("runs", quick ? 1 : 3, 1, 99),
                sides,
                quick,
                f.bool("verbose"),
                f.str("pin", null),
                f.integer("binding-sockets", 2, 1, 64),
                f.integer("binding-window", 32, 1, 4096),
                f.longValue("binding-min-warmup-ms", quick ? 1000 : 5000, 0, 600_000),
                f.longValue("binding-max-warmup-ms", quick ? 3000 : 20_000, 0, 600_000),
                f.longValue("binding-ms", quick ? 1000 : 3000, 100, 600_000),
                List.copyOf(modes),
                List.copyOf(payloads),
                f.integer("relay-allocations", 2, 1, 64),
                f.longValue("trial-ms", quick ? 200 : 500, 50, 600_000),
                f.longValue("warmup-trial-ms", quick ? 300 : 2000, 0, 600_000),
                f.longValue("warmup-pps", 50_000, 100, 100_000_000),
                f.longValue("drain-ms", 300, 20, 60_000),
                f.longValue("pause-ms", quick ? 50 : 100, 0, 60_000),
                f.longValue("cpu-probe-pps", 100_000, 0, 100_000_000),
                f.longValue("cpu-probe-ms", quick ? 500 : 2000, 100, 600_000),
                f.longValue("start-pps", 10_000, 100, 100_000_000),
                f.longValue("max-pps", 2_000_000, 100, 100_000_000),
                f.doubleValue("precision", quick ? 0.15 : 0.05, 0.001, 1.0),
                f.integer("max-trials", quick ? 12 : 24, 1, 1000),
                f.integer("retries", 1, 0, 10),
                f.integer("allocations", quick ? 100 : 1000, 1, 10_000),
                f.integer("allocation-warmup", quick ? 50 : 500, 0, 10_000),
                f.integer("allocation-max-warmup", quick ? 200 : 30_000, 0, 1_000_000),
                f.longValue("settle-ms", 500, 0, 60_000),
                f.integer("relay-ports", 5000, 2, 6000),
                f.str("realm", "rtc4j.bench"),
                f.str("user", "bench"),
                f.str("password", "bench-secret"),
                f.str("coturn-bin", "turnserver"),
                f.str("rtc4j-cp", defaultRtc4jClasspath()),
                f.str("rtc4j-java", null),
                f.all("rtc4j-jvm-arg"),
                f.longValue("seed", 1, Long.MIN_VALUE, Long.MAX_VALUE));
        f.rejectUnused();
        // the last warm-up round stays open while the measured allocations are made
        int needed = Math.max(o.allocations + AllocationCost.warmupRound(o.allocations), o.relayAllocations) + 16;
        if (o.relayPorts < needed) {
            throw new IllegalArgumentException(
                    "--relay-ports " + o.relayPorts + " is too small for " + needed + " allocations");
        }
        if (o.startPps > o.maxPps) {
            throw new IllegalArgumentException("--start-pps above --max-pps");
        }
        return o;
    }

    /** The shaded server jar when built, else the module's classes (which then lack its dependencies). */
    private static String defaultRtc4jClasspath() {
        for (String candidate : List.of("rtc4j-server/target/rtc4j.jar", "../rtc4j-server/target/rtc4j.jar")) {
            if (Files.isRegularFile(Path.of(candidate))) {
                return Path.of(candidate).toAbsolutePath().normalize().toString();
            }
        }
        return "rtc4j-server/target/rtc4j.jar";
    }

    /** Thrown for --help. */
    static final class HelpRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HelpRequested() {
            super("help", null, false, false);
        }
    }

    private static final class Flags {
        private final Map<String, List<String>> values;
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Flags(Map<String, List<String>> values) {
            this.values = values;
        }

        boolean has(String name) {
            used.add(name);
            return values.containsKey(name);
        }

        String str(String name, String dflt) {
            used.add(name);
            List<String> v = values.get(name);
            return v == null ? dflt : v.get(v.size() - 1);
        }

        List<String> all(String name) {
            used.add(name);
            return List.copyOf(values.getOrDefault(name, List.of()));
        }

        boolean bool(String name) {
            return Boolean.parseBoolean(str(name, "false"));
        }

        String choice(String name, String... allowed) {
            String v = str(name, null);
            for (String a : allowed) {
                if (a.equals(v)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("--" + name + " takes one of " + String.join("|", allowed) + ": " + v);
        }

        long longValue(String name, long dflt, long min, long max) {
            String v = str(name, null);
            long x = v == null ? dflt : Long.parseLong(v.replace("_", ""));
            if (x < min || x > max) {
                throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ": " + x);
            }
            return x;
        }

        int integer(String name, int dflt, int min, int max) {
            return (int) longValue(name, dflt, min, max);
        }

        double doubleValue(String name, double dflt, double min, double max) {
            String v = str(name, null);
            double x = v == null ? dflt : Double.parseDouble(v);
            if (!(x >= min && x <= max)) {
                throw new IllegalArgumentException("--" + name + " must be " + min + ".." + max + ": " + x);
            }
            return x;
        }

        void rejectUnused() {
            for (String name : values.keySet()) {
                if (!used.contains(name)) {
                    throw new IllegalArgumentException("unknown flag --" + name);
                }
            }
        }
    }
}
