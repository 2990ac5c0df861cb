package io.rtc4j.bench.ice;

import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.net.TurnServer;
import io.rtc4j.turn.net.TurnServerSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The ICE benchmark (bench/ice.sh): time to the first nominated pair over loopback host candidates and
 * relay-only through rtc4j's TURN server (median and p90 over N runs), and connectivity checks answered per
 * second by one agent. With {@code --anchor FILE} (Chromium-to-Chromium times in ms, one per line, from
 * bench/ice-chromium.mjs) the host row gets its ratio. Loopback only. Markdown on stdout, progress on stderr.
 *
 * <p>Options: {@code --runs N} (50), {@code --warmup N} unscored runs first (5), {@code --check-seconds S}
 * measured (3), {@code --anchor FILE}, {@code --quick} (10 runs, 1 s).
 */
public final class IceBench {
    private IceBench() {}

    public static void main(String[] args) throws Exception {
        int runs = 50;
        int warmup = 5;
        double checkSeconds = 3;
        Path anchor = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--check-seconds" -> checkSeconds = Double.parseDouble(args[++i]);
                case "--anchor" -> anchor = Path.of(args[++i]);
                case "--quick" -> {
                    runs = 10;
                    checkSeconds = 1;
                }
                default -> {
                    System.err.println("usage: IceBench [--runs N] [--warmup N] [--check-seconds S] [--anchor FILE] [--quick]");
                    System.exit(2);
                }
            }
        }
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        long started = System.nanoTime();

        double[] host = connectRuns("host", lo, null, warmup, runs);
        double[] relay;
        try (TurnServer turn = startTurn(lo)) {
            IceUdpConfig.TurnServerEntry entry = new IceUdpConfig.TurnServerEntry(turn.udpAddresses().getFirst(),
                    TurnClientConfig.builder("bench", "bench-secret").build());
            relay = connectRuns("relay", lo, entry, warmup, runs);
        }
        System.err.println("ice bench: checks/s (warm-up " + Math.max(1, checkSeconds) + " s, measured " + checkSeconds + " s)");
        CheckLoad.Result checks = CheckLoad.run(lo, 2, 32, Math.max(1, checkSeconds), checkSeconds);
        double[] chromium = anchor == null ? null : readAnchor(anchor);

        StringBuilder md = new StringBuilder();
        md.append("| Figure | rtc4j | Chromium | rtc4j/Chromium |\n|---|--:|--:|--:|\n");
        md.append(row("Time to nominated pair, loopback host, median (ms)", median(host), chromium == null ? Double.NaN : median(chromium)));
        md.append(row("Time to nominated pair, loopback host, p90 (ms)", p90(host), chromium == null ? Double.NaN : p90(chromium)));
        md.append(row("Time to nominated pair, relay-only via rtc4j TURN, median (ms)", median(relay), Double.NaN));
        md.append(row("Time to nominated pair, relay-only via rtc4j TURN, p90 (ms)", p90(relay), Double.NaN));
        md.append(String.format(Locale.ROOT, "| Checks answered/s by one agent (valid MESSAGE-INTEGRITY) | %,.0f | | |%n", checks.perSecond()));
        md.append(String.format(Locale.ROOT, "| Driver-thread CPU µs per answered check | %.2f | | |%n", checks.cpuMicrosPerCheck()));
        md.append('\n');
        md.append(String.format(Locale.ROOT, "- runs: %d measured after %d unscored warm-up runs per row; generator: 2 sockets x 32 checks in flight, %.0f s measured%n", runs, warmup, checkSeconds));
        md.append(String.format(Locale.ROOT, "- checks refused by the agent while measuring: %d (must be 0)%n", checks.agentDrops()));
        md.append(String.format(Locale.ROOT, "- date: %s; machine: nproc %d; JDK %s%n", LocalDate.now(), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.runtime.version")));
        md.append(String.format(Locale.ROOT, "- run time: %.1f min%n", (System.nanoTime() - started) / 60e9));
        if (chromium != null) {
            md.append(String.format(Locale.ROOT, "- Chromium: %d runs from %s%n", chromium.length, anchor.getFileName()));
        }
        System.out.print(md);
    }

    private static double[] connectRuns(String name, InetAddress lo, IceUdpConfig.TurnServerEntry turn, int warmup, int runs)
            throws IOException, InterruptedException {
        for (int i = 0; i < warmup; i++) {
            ConnectTimer.once(lo, turn);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            ms[i] = ConnectTimer.once(lo, turn);
        }
        System.err.printf(Locale.ROOT, "ice bench: %s: median %.2f ms, p90 %.2f ms over %d runs%n", name, median(ms), p90(ms), runs);
        return ms;
    }

    /** The TURN port must be free for UDP and TCP alike: a free pair is picked, with a few retries for races. */
    private static TurnServer startTurn(InetAddress lo) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return startTurn(lo, io.rtc4j.testkit.proc.FreePorts.udpAndTcp());
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static TurnServer startTurn(InetAddress lo, int port) throws IOException {
        io.rtc4j.testkit.proc.FreePorts.PortRange relays = io.rtc4j.testkit.proc.FreePorts.relayRange(1000);
        return TurnServer.start(
                new TurnServerSettings(List.of(lo), port, 0, lo, null, null, relays.min(), relays.max(), 1, 1 << 20),
                TurnServerConfig.defaults("rtc4j.bench"),
                new StaticUserAuthenticator(Map.of("bench", "bench-secret")),
                DefaultPeerAddressPolicy.builder().allow("127.0.0.0/8").build(),
                QuotaPolicy.unlimited(),
                null,
                new TurnMetrics());
    }

    static double[] readAnchor(Path file) throws IOException {
        List<Double> values = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                values.add(Double.parseDouble(line.trim()));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static String row(String figure, double ours, double theirs) {
        if (Double.isNaN(theirs)) {
            return String.format(Locale.ROOT, "| %s | %.2f | | |%n", figure, ours);
        }
        return String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f |%n", figure, ours, theirs, ours / theirs);
    }

    static double median(double[] v) {
        return quantile(v, 0.5);
    }

    static double p90(double[] v) {
        return quantile(v, 0.9);
    }

    /** Nearest-rank quantile. */
    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }
}
