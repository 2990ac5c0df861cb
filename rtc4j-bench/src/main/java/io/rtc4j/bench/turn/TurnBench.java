package io.rtc4j.bench.turn;

import io.rtc4j.testkit.proc.CoturnServer;
import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.FreePorts.PortRange;
import io.rtc4j.testkit.proc.Rtc4jTurnProcess;
import io.rtc4j.testkit.proc.TurnServerBuilder;
import io.rtc4j.testkit.proc.TurnServerProcess;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * TURN/STUN load tool: rtc4j's TURN server and coturn, each started as its own process on loopback with the
 * same options, driven by the same generator in the same run, one server at a time (their order alternates
 * between runs). Prints a Markdown table of medians and the rtc4j/coturn ratio. See {@link
 * TurnBenchOptions#USAGE} and bench/turn.sh.
 */
public final class TurnBench {
    private final TurnBenchOptions o;
    private final PrintStream log = System.err;
    private final BenchReport report = new BenchReport();
    private final Map<String, Ports> ports = new LinkedHashMap<>();
    private final Map<String, List<String>> commands = new LinkedHashMap<>();
    private final Map<String, Integer> threads = new LinkedHashMap<>();
    private final List<String> failures = new ArrayList<>();
    private final Background background = new Background();
    private final RandomGenerator random;

    private record Ports(int listening, PortRange relay) {}

    private TurnBench(TurnBenchOptions options) {
        this.o = options;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(options.seed());
    }

    public static void main(String[] args) {
        TurnBenchOptions options;
        try {
            options = TurnBenchOptions.parse(args);
        } catch (TurnBenchOptions.HelpRequested e) {
            System.out.print(TurnBenchOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.print(TurnBenchOptions.USAGE);
            System.exit(2);
            return;
        }
        int status = new TurnBench(options).run();
        System.exit(status);
    }

    private int run() {
        declareFigures();
        for (String side : o.sides()) {
            // one listening port and relay range per server for the whole run: both are freed between runs
            ports.put(side, new Ports(FreePorts.udpAndTcp(), FreePorts.relayRange(o.relayPorts())));
        }
        if (o.pin() != null) {
            try {
                CpuPinning.pin(ProcessHandle.current().pid(), o.pin().split(":")[0]);
            } catch (IOException e) {
                log.println("error: " + e.getMessage());
                return 2;
            }
        }
        long t0 = System.nanoTime();
        for (int run = 1; run <= o.runs(); run++) {
            List<String> order = new ArrayList<>(o.sides());
            if (run % 2 == 0) {
                java.util.Collections.reverse(order);
            }
            runOnce(run, order);
        }
        double minutes = (System.nanoTime() - t0) / 60e9;
        System.out.println(render(minutes));
        return failures.isEmpty() ? 0 : 1;
    }

    /** One measurement of one phase against one running server. */
    @FunctionalInterface
    private interface Phase {
        void measure(String side, TurnServerProcess server) throws Exception;
    }

    /**
     * Starts every server for this run, then measures phase by phase, the servers taking turns, so that
     * background load on a shared machine falls on both alike; the idle server costs nothing meanwhile.
     */
    private void runOnce(int run, List<String> order) {
        Map<String, TurnServerProcess> servers = new LinkedHashMap<>();
        try {
            for (String side : order) {
                try {
                    TurnServerProcess server = start(side);
                    servers.put(side, server);
                    if (o.pin() != null) {
                        CpuPinning.pin(server.pid(), o.pin().split(":")[1]);
                    }
                    commands.putIfAbsent(side, server.process().command());
                    threads.merge(side, ProcStats.sample(server.pid()).threads(), Math::max);
                } catch (Exception e) {
                    fail(run, side, "start", e);
                }
            }
            Map<String, Phase> phases = new LinkedHashMap<>();
            phases.put("allocations", this::allocations);
            phases.put("binding", this::binding);
            for (RelayLoad.Mode mode : o.modes()) {
                for (int size : o.payloads()) {
                    phases.put(
                            "relay " + mode.toString().toLowerCase(Locale.ROOT) + " " + size + " B",
                            (side, server) -> relay(server, side, mode, size));
                }
            }
            for (Map.Entry<String, Phase> phase : phases.entrySet()) {
                for (String side : order) {
                    TurnServerProcess server = servers.get(side);
                    if (server == null) {
                        continue;
                    }
                    log.printf(Locale.ROOT, "[run %d/%d] %s %s%n", run, o.runs(), side, phase.getKey());
                    Background.Mark mark = background.mark(servers.values());
                    try {
                        phase.getValue().measure(side, server);
                        requireAlive(server);
                    } catch (Exception e) {
                        fail(run, side, phase.getKey(), e);
                        if (!server.process().isAlive()) {
                            servers.remove(side).close();
                        }
                    } finally {
                        background.add(mark, servers.values());
                    }
                }
            }
            for (Map.Entry<String, TurnServerProcess> e : servers.entrySet()) {
                threads.merge(e.getKey(), ProcStats.sample(e.getValue().pid()).threads(), Math::max);
            }
        } catch (IOException e) {
            fail(run, "both", "bookkeeping", e);
        } finally {
            for (TurnServerProcess server : servers.values()) {
                server.close();
            }
        }
    }

    private void fail(int run, String side, String phase, Exception e) {
        String msg = "run " + run + " " + side + " " + phase + ": " + e;
        failures.add(msg);
        log.println("FAILED " + msg);
        if (o.verbose()) {
            e.printStackTrace(log);
        }
    }

    private void declareFigures() {
        report.declare("binding", "STUN Binding requests answered/s (UDP)", 0);
        for (RelayLoad.Mode mode : o.modes()) {
            for (int size : o.payloads()) {
                String name = (mode == RelayLoad.Mode.CHANNEL ? "ChannelData" : "Send indication") + ", " + size + " B";
                report.declare(relayKey(mode, size, "pps"), "Relayed packets/s at 0% loss: " + name, 0);
                report.declare(relayKey(mode, size, "mbps"), "Relayed Mbit/s at 0% loss: " + name, 1);
                if (o.cpuProbePps() > 0) {
                    report.declare(
                            relayKey(mode, size, "cpu"),
                            String.format(
                                    Locale.ROOT,
                                    "Server CPU µs per relayed packet at %,d pps: %s",
                                    o.cpuProbePps(),
                                    name),
                            2);
                }
            }
        }
        report.declare("alloc-cpu", "Server CPU seconds per 1,000 allocations", 3);
        report.declare("alloc-rss", "Server RSS growth (MiB) per 1,000 allocations", 2);
        report.declare("rss-base", "Server RSS before them (MiB, context)", 1);
    }

    private static String relayKey(RelayLoad.Mode mode, int size, String unit) {
        return "relay-" + mode + "-" + size + "-" + unit;
    }

    private void allocations(String side, TurnServerProcess server) throws Exception {
        AllocationCost.Result cost = AllocationCost.run(
                server.listeningAddress(),
                server.pid(),
                o.user(),
                o.password(),
                o.allocations(),
                o.allocationWarmup(),
                o.allocationMaxWarmup(),
                Duration.ofMillis(o.settleMs()),
                random);
        report.add("alloc-cpu", side, cost.cpuSecondsPer1000(), false);
        report.add("alloc-rss", side, cost.rssMiBPer1000(), false);
        report.add("rss-base", side, cost.rssBeforeKiB() / 1024.0, false);
        log.printf(
                Locale.ROOT,
                "  %d allocations in %.2f s; server CPU %.3f s, RSS %,d -> %,d KiB (%.2f MiB per 1,000)%n",
                cost.count(),
                cost.wallSeconds(),
                cost.cpuSeconds(),
                cost.rssBeforeKiB(),
                cost.rssAfterKiB(),
                cost.rssMiBPer1000());
    }

    private void binding(String side, TurnServerProcess server) throws Exception {
        Map<Long, Long> serverTicks = ProcStats.threadTicks(server.pid());
        Map<Long, Long> ownTicks = ProcStats.threadTicks(ProcessHandle.current().pid());
        BindingLoad.Result binding = BindingLoad.run(
                server.listeningAddress(),
                o.bindingSockets(),
                o.bindingWindow(),
                Duration.ofMillis(o.bindingMinWarmupMs()),
                Duration.ofMillis(o.bindingMaxWarmupMs()),
                Duration.ofMillis(o.bindingMs()),
                random);
        report.add("binding", side, binding.perSecond(), false);
        log.printf(
                Locale.ROOT,
                "  %,.0f answered/s (%,d answered, %d errors, %,d sent in %.2f s, after %.1f s of warm-up)%n",
                binding.perSecond(),
                binding.answered(),
                binding.errors(),
                binding.sent(),
                binding.seconds(),
                binding.warmupSeconds());
        if (o.verbose()) {
            double seconds = binding.warmupSeconds() + binding.seconds();
            log.printf(
                    Locale.ROOT,
                    "    CPU per thread: server %s; generator %s%n",
                    ProcStats.threadShares(serverTicks, ProcStats.threadTicks(server.pid()), seconds),
                    ProcStats.threadShares(ownTicks, ProcStats.threadTicks(ProcessHandle.current().pid()), seconds));
        }
    }

    private void relay(TurnServerProcess server, String side, RelayLoad.Mode mode, int size) throws IOException {
        List<TurnTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < o.relayAllocations(); i++) {
                clients.add(TurnTestClient.openAllocated(
                        server.listeningAddress(), o.user(), o.password(), random, Duration.ofSeconds(5), 5));
            }
            ZeroLossSearch.Result r;
            String label = mode.toString().toLowerCase(Locale.ROOT) + " " + size + " B";
            Map<Long, Long> ticksBefore = ProcStats.threadTicks(server.pid());
            Map<Long, Long> ownBefore = ProcStats.threadTicks(ProcessHandle.current().pid());
            long searchStart = System.nanoTime();
            RelayLoad.Trial probe = null;
            double probeCpuSeconds = 0;
            try (RelayLoad load = new RelayLoad(clients, mode, size)) {
                r = ZeroLossSearch.run(load, searchParams(), o.verbose() ? log : null, label);
                if (o.cpuProbePps() > 0) {
                    // a fixed rate both servers can carry: CPU per packet does not depend on the generator's ceiling
                    ProcStats.Sample before = ProcStats.sample(server.pid());
                    probe = load.trial(o.cpuProbePps(), o.cpuProbeMs() * 1_000_000, o.drainMs() * 1_000_000);
                    probeCpuSeconds = ProcStats.sample(server.pid()).cpuSeconds() - before.cpuSeconds();
                }
            }
            if (o.verbose()) {
                double seconds = (System.nanoTime() - searchStart) / 1e9;
                log.printf(
                        Locale.ROOT,
                        "    CPU per thread during the search: server %s; generator %s%n",
                        ProcStats.threadShares(ticksBefore, ProcStats.threadTicks(server.pid()), seconds),
                        ProcStats.threadShares(
                                ownBefore, ProcStats.threadTicks(ProcessHandle.current().pid()), seconds));
            }
            requireAlive(server);
            double pps = r.pps();
            double mbps = pps * size * 8 / 1e6;
            report.add(relayKey(mode, size, "pps"), side, pps, r.generatorLimited());
            report.add(relayKey(mode, size, "mbps"), side, mbps, r.generatorLimited());
            if (probe != null && probe.received() > 0) {
                double micros = probeCpuSeconds * 1e6 / probe.received();
                report.add(relayKey(mode, size, "cpu"), side, micros, false);
                log.printf(
                        Locale.ROOT,
                        "  server CPU %.2f µs per relayed packet at %,.0f pps (%d lost)%n",
                        micros,
                        probe.sentPps(),
                        probe.lost());
            }
            log.printf(
                    Locale.ROOT,
                    "  %,.0f pps, %.1f Mbit/s at 0%% loss (%d trials%s)%n",
                    pps,
                    mbps,
                    r.trials(),
                    r.generatorLimited() ? ", GENERATOR-LIMITED: the server may go higher" : "");
            for (TurnTestClient c : clients) {
                c.release();
            }
        } finally {
            for (TurnTestClient c : clients) {
                c.close();
            }
        }
    }

    private ZeroLossSearch.Params searchParams() {
        return new ZeroLossSearch.Params(
                o.startPps(),
                o.maxPps(),
                Math.min(o.startPps(), 500),
                o.precision(),
                o.maxTrials(),
                o.retries(),
                o.trialMs() * 1_000_000,
                o.warmupTrialMs() * 1_000_000,
                o.warmupPps(),
                o.drainMs() * 1_000_000,
                o.pauseMs() * 1_000_000);
    }

    private TurnServerProcess start(String side) {
        Ports p = ports.get(side);
        if (side.equals(BenchReport.COTURN)) {
            return common(CoturnServer.builder().binary(o.coturnBinary()), p)
                    // after the launcher's "--log-file stdout": coturn keeps the last one; nothing is logged
                    // per request at the default level, but allocations are (several lines each)
                    .extraArgs("--log-file", "/dev/null", "--simple-log", "--no-stdout-log")
                    .start();
        }
        if (!Files.exists(Path.of(o.rtc4jClasspath().split(java.io.File.pathSeparator)[0]))) {
            throw new IllegalStateException("rtc4j server classpath not found: " + o.rtc4jClasspath()
                    + " (build it: ./mvnw -q -B -DskipTests package, or pass --rtc4j-cp)");
        }
        Rtc4jTurnProcess.Builder b = Rtc4jTurnProcess.builder()
                .classpath(o.rtc4jClasspath())
                // logging as quiet as coturn's: warnings and errors only
                .jvmArg("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        if (o.rtc4jJava() != null) {
            b.javaBinary(o.rtc4jJava());
        }
        for (String arg : o.rtc4jJvmArgs()) {
            b.jvmArg(arg);
        }
        // coturn gets --no-tls --no-dtls from its launcher; rtc4j would otherwise serve TLS on 5349
        return common(b, p).extraArgs("--no-tls").start();
    }

    private <B extends TurnServerBuilder<B, ?>> B common(B b, Ports p) {
        return b.listeningIp("127.0.0.1")
                .listeningPort(p.listening())
                .relayPorts(p.relay())
                .realm(o.realm())
                .user(o.user(), o.password())
                .allowedPeerIp("127.0.0.1");
    }

    private static void requireAlive(TurnServerProcess server) {
        if (!server.process().isAlive()) {
            throw new IllegalStateException(server.process().describe("server died during the benchmark"));
        }
    }

    private String render(double minutes) {
        StringBuilder sb = new StringBuilder();
        sb.append("## TURN/STUN server: rtc4j vs coturn\n\n");
        sb.append(report.markdown(o.sides()));
        sb.append('\n');
        sb.append(String.format(
                Locale.ROOT,
                "Medians of %d run%s; ratio = rtc4j / coturn (higher is better for rates, lower for CPU and RSS)."
                        + " Both servers run side by side, fresh each run, measured in turns. Binding: %d sockets with"
                        + " %d requests in flight each, %d ms measured after warming up until the rate stops rising."
                        + " Relayed rates: after an unscored %d ms warm-up at %,d pps, the highest offered rate"
                        + " (doubling from %,d pps, then bisection to %.0f%%; %d ms trials; a lossy trial is repeated"
                        + " %d time%s) at which every packet arrived; %d allocations, Mbit/s counts the UDP payload"
                        + " the peer receives.%s CPU and RSS: deltas of /proc/PID/stat utime+stime and VmRSS across %,d"
                        + " authenticated allocations (401 challenge + Allocate, one client socket each, after warm-up"
                        + " rounds of created and released allocations, at least %,d, until the server's CPU per"
                        + " allocation stops falling: a JIT-compiled server is measured compiled), scaled to 1,000.%s%n%n",
                o.runs(),
                o.runs() == 1 ? "" : "s",
                o.bindingSockets(),
                o.bindingWindow(),
                o.bindingMs(),
                o.warmupTrialMs(),
                o.warmupPps(),
                o.startPps(),
                o.precision() * 100,
                o.trialMs(),
                o.retries(),
                o.retries() == 1 ? "" : "s",
                o.relayAllocations(),
                o.cpuProbePps() == 0
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                " CPU per relayed packet: the server's utime+stime during one %,d ms trial at a fixed"
                                        + " %,d pps after the search, divided by the packets delivered (kernel work"
                                        + " in the server's context, such as loopback delivery of its sends,"
                                        + " included for both).",
                                o.cpuProbeMs(),
                                o.cpuProbePps()),
                o.allocations(),
                o.allocationWarmup(),
                report.anyAtLeast() ? " ≥: the load generator, not the server, was the limit." : ""));
        sb.append(machine());
        sb.append(String.format(Locale.ROOT, "- run time: %.1f min%n", minutes));
        sb.append(String.format(
                Locale.ROOT,
                "- other processes on the machine used %.2f CPUs on average while measuring (worst phase %.2f)%n",
                background.averageCpus(),
                background.worstCpus()));
        if (background.averageCpus() > 0.2) {
            sb.append("- **warning**: that much background load makes the figures unreliable; rerun on a quiet machine\n");
        }
        sb.append('\n');
        sb.append("<details><summary>Each run</summary>\n\n");
        sb.append(report.perRun(o.sides()));
        sb.append("\n</details>\n");
        if (!failures.isEmpty()) {
            sb.append("\n**Failures:**\n\n");
            for (String f : failures) {
                sb.append("- ").append(f.replace('\n', ' ')).append('\n');
            }
        }
        return sb.toString();
    }

    private String machine() {
        StringBuilder sb = new StringBuilder();
        sb.append("- date: ").append(LocalDate.now(ZoneOffset.UTC)).append('\n');
        sb.append("- machine: nproc ").append(Runtime.getRuntime().availableProcessors());
        MachineInfo.cpuModel().ifPresent(m -> sb.append(", ").append(m));
        MachineInfo.readFirstLine(Path.of("/proc/sys/kernel/osrelease")).ifPresent(k -> sb.append(", Linux ").append(k));
        sb.append('\n');
        sb.append("- JDK (load generator")
                .append(o.rtc4jJava() == null ? " and rtc4j server" : "")
                .append("): ")
                .append(System.getProperty("java.vm.vendor"))
                .append(' ')
                .append(System.getProperty("java.runtime.version"))
                .append('\n');
        if (o.rtc4jJava() != null) {
            sb.append("- JDK (rtc4j server): ").append(MachineInfo.firstLineOf(o.rtc4jJava(), "-version")).append('\n');
        }
        if (o.sides().contains(BenchReport.COTURN)) {
            sb.append("- coturn: ").append(MachineInfo.firstLineOf(o.coturnBinary(), "--version"));
            if (threads.containsKey(BenchReport.COTURN)) {
                sb.append(", ")
                        .append(threads.get(BenchReport.COTURN))
                        .append(" threads: its default --relay-threads = number of CPUs (")
                        .append(Runtime.getRuntime().availableProcessors())
                        .append("), net engine 3 (one UDP listener+relay thread per CPU on a SO_REUSEPORT port),"
                                + " plus main listener, auth and admin threads");
            }
            sb.append('\n');
        }
        if (threads.containsKey(BenchReport.RTC4J)) {
            sb.append("- rtc4j server: ")
                    .append(threads.get(BenchReport.RTC4J))
                    .append(" JVM threads, default --relay-threads (0 = one event loop per CPU), default JVM heap"
                            + " settings\n");
        }
        for (Map.Entry<String, List<String>> e : commands.entrySet()) {
            sb.append("- ").append(e.getKey()).append(" command: `").append(MachineInfo.shorten(e.getValue())).append("`\n");
        }
        sb.append("- generator: ")
                .append(o.relayAllocations())
                .append(" allocations (one client socket and one peer socket each) for relaying, ")
                .append(o.bindingSockets())
                .append(" sockets x ")
                .append(o.bindingWindow())
                .append(" in flight for Binding; sender and receiver threads share the cores with the server\n");
        sb.append("- reproduce: `bench/turn.sh").append(o.quick() ? " --quick" : "").append("`\n");
        return sb.toString();
    }
}
