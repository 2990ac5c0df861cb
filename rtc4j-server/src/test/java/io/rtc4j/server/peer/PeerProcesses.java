package io.rtc4j.server.peer;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/** {@code rtc4j peer answer} and {@code rtc4j peer offer} as real child JVMs on the test's own classpath. */
final class PeerProcesses {
    static final Pattern READY = Pattern.compile("^READY (http://\\S+/offer)");
    static final Pattern RESULT = Pattern.compile("^RESULT (\\{.*})$");

    private PeerProcesses() {}

    static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add("io.rtc4j.server.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A started {@code peer answer} on 127.0.0.1 and its offer URL. */
    record Answerer(ManagedProcess process, String offerUrl) implements AutoCloseable {
        static Answerer start(String... extra) {
            List<String> args = new ArrayList<>(List.of("peer", "answer", "--port", String.valueOf(FreePorts.udpAndTcp()),
                    "--lifetime", "300"));
            args.addAll(List.of(extra));
            ManagedProcess p = ManagedProcess.builder(java(args.toArray(String[]::new))).name("peer-answer").logToTargetDir().start();
            try {
                MatchResult m = p.awaitOutput(READY, Duration.ofSeconds(60));
                return new Answerer(p, m.group(1));
            } catch (RuntimeException e) {
                p.close();
                throw e;
            }
        }

        @Override
        public void close() {
            process.close();
        }
    }

    /** Runs {@code peer offer} to its exit; the parsed RESULT line, its exit code and its output. */
    record OfferRun(int exit, Map<String, String> result, String output) {}

    static OfferRun offer(String... args) {
        List<String> all = new ArrayList<>(List.of("peer", "offer"));
        all.addAll(List.of(args));
        try (ManagedProcess p = ManagedProcess.builder(java(all.toArray(String[]::new))).name("peer-offer").logToTargetDir().start()) {
            int exit = p.awaitExit(Duration.ofSeconds(180));
            List<String> results = p.lines().stream().filter(l -> RESULT.matcher(l).matches()).toList();
            if (results.size() != 1) {
                throw new AssertionError("expected exactly one RESULT line:\n" + p.output());
            }
            var m = RESULT.matcher(results.getFirst());
            m.matches();
            Map<String, String> json = PeerJson.parseFlatObject(m.group(1))
                    .orElseThrow(() -> new AssertionError("RESULT is not flat JSON: " + results.getFirst()));
            return new OfferRun(exit, json, p.output());
        }
    }
}
