package io.rtc4j.server.peer;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.UdpCounters;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * bench/peer.sh's driver (scenario {@code bench} of {@link ChromiumPeerCheck}, in a namespace of its own): bulk
 * data-channel throughput and time to open, side by side in one run, for rtc4j->rtc4j ({@code rtc4j peer offer}
 * to {@code rtc4j peer answer}), rtc4j->Chromium, Chromium->rtc4j and the anchor Chromium->Chromium (two
 * separate browser processes). Every mode sends the same: {@code -Dbench.mib} MiB in 64 KiB messages with
 * bufferedAmount flow control, then END, timed until the receiver's count arrives. Prints one
 * {@code BENCH mode=... run=... mbps=... connect_ms=...} line per measurement; modes are interleaved per run.
 *
 * <p>Warm and fresh: Chromium's browsers and {@code rtc4j peer answer} are long-lived processes, so the rtc4j
 * offerer of the main rows is too: {@code rtc4j peer offer}'s own code run repeatedly in this JVM (the same
 * {@link PeerOfferCommand}, parsed from the same arguments). Every mode first gets {@code -Dbench.warmups}
 * (5) unscored warm-up connections of 8 MiB. Time to open is measured apart, on {@code -Dbench.openRuns} (20)
 * connections per mode that only open (0 MiB), after {@code -Dbench.openWarmups} (100) unscored ones per mode:
 * handshake code runs once per connection, so the JIT compiles it only after some hundreds of them. The
 * {@code (fresh JVM)} rows spawn {@code rtc4j peer offer} as a new process per run, so they include class
 * loading and JIT compilation of the whole stack: what a one-shot command costs.
 */
final class PeerBench {
    private final ChromiumPeerCheck c;
    private final List<AutoCloseable> resources;
    private final int runs = Integer.getInteger("bench.runs", 3);
    private final long mib = Long.getLong("bench.mib", 100);
    private final int warmups = Integer.getInteger("bench.warmups", 5);
    private final int openWarmups = Integer.getInteger("bench.openWarmups", 100);
    private final int openRuns = Integer.getInteger("bench.openRuns", 20);
    private static final long WARMUP_MIB = 8;
    private final BlockingQueue<String> offers = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> jobs = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> results = new ArrayBlockingQueue<>(4);
    private String answerUrl;
    private ManagedProcess answer;

    PeerBench(ChromiumPeerCheck c, List<AutoCloseable> resources) {
        this.c = c;
        this.resources = resources;
    }

    void prepare() throws Exception {
        int port = FreePorts.udpAndTcp();
        answer = rtc4j("peer", "answer", "--port", String.valueOf(port), "--lifetime", "1800");
        resources.add(answer);
        answer.awaitOutput(PeerProcesses.READY, Duration.ofSeconds(60));
        answerUrl = "http://127.0.0.1:" + port + "/offer";
        c.config("{\"offers\":100000}");
        c.route("/offer", body -> {
            offers.add(PeerJson.parseFlatObject(body).orElseThrow().get("sdp"));
            String a = poll(answers, 60);
            return a == null ? null : PeerJson.description("answer", a);
        });
        c.route("/page/next-offer", b -> poll(offers, 1800));
        c.route("/page/answer", sdp -> {
            answers.add(sdp);
            return "";
        });
        c.route("/sender/next-job", b -> poll(jobs, 1800));
        c.route("/sender/result", r -> {
            results.add(r);
            return "";
        });
        resources.add(c.browser("peer-offer-to-page", false)); // the answering Chromium
    }

    void drive() throws Exception {
        String chromiumOffer = c.origin() + "/offer";
        // unscored warm-up rounds, 8 MiB per connection and mode: the JIT compiles the rtc4j side's handshakes and
        // data path (a long-running JVM has), the browsers fill their caches
        for (int i = 0; i < warmups; i++) {
            peerOfferInJvm(answerUrl, WARMUP_MIB);
            peerOfferInJvm(chromiumOffer, WARMUP_MIB);
            pageOffer(answerUrl, WARMUP_MIB);
            pageOffer(chromiumOffer, WARMUP_MIB);
        }
        // time to open: connections that only open (0 MiB, then END and the count), first unscored until the JIT
        // has compiled the handshakes (a JVM that opens connections all day has), then scored, all interleaved
        for (int i = 0; i < openWarmups; i++) {
            peerOfferInJvm(answerUrl, 0);
            peerOfferInJvm(chromiumOffer, 0);
            pageOffer(answerUrl, 0);
            pageOffer(chromiumOffer, 0);
        }
        for (int run = 1; run <= openRuns; run++) {
            report("rtc4j->rtc4j", "open", run, 0, peerOfferInJvm(answerUrl, 0), -1);
            report("rtc4j->chromium", "open", run, 0, peerOfferInJvm(chromiumOffer, 0), -1);
            report("chromium->rtc4j", "open", run, 0, pageOffer(answerUrl, 0), -1);
            report("chromium->chromium", "open", run, 0, pageOffer(chromiumOffer, 0), -1);
        }
        for (int run = 1; run <= runs; run++) {
            long drops = udpReceiveBufferErrors();
            report("rtc4j->rtc4j", run, peerOfferInJvm(answerUrl), drops);
            drops = udpReceiveBufferErrors();
            report("rtc4j->chromium", run, peerOfferInJvm(chromiumOffer), drops);
            drops = udpReceiveBufferErrors();
            report("chromium->rtc4j", run, pageOffer(answerUrl), drops);
            drops = udpReceiveBufferErrors();
            report("chromium->chromium", run, pageOffer(chromiumOffer), drops);
            drops = udpReceiveBufferErrors();
            report("rtc4j->rtc4j(fresh-jvm)", run, peerOfferProcess(answerUrl), drops);
            drops = udpReceiveBufferErrors();
            report("rtc4j->chromium(fresh-jvm)", run, peerOfferProcess(chromiumOffer), drops);
        }
        jobs.add("{\"stop\":true}");
    }

    private String[] offerArgs(String url, long mib) {
        return new String[] {"--url", url, "--mode", "bulk", "--mib", String.valueOf(mib), "--timeout", "300"};
    }

    /** {@code rtc4j peer offer}'s code in this (warm) JVM: the command object parsed from the same arguments. */
    private Map<String, String> peerOfferInJvm(String url) {
        return peerOfferInJvm(url, mib);
    }

    private Map<String, String> peerOfferInJvm(String url, long mib) {
        PeerOfferCommand cmd = new PeerOfferCommand();
        new picocli.CommandLine(cmd).parseArgs(offerArgs(url, mib));
        String json = cmd.run().json();
        return PeerJson.parseFlatObject(json).orElse(Map.of("ok", "false", "error", json));
    }

    /**
     * An rtc4j process: through the {@code ./rtc4j} launcher when {@code -Dbench.launcher} names it (what a user
     * runs, with its AOT cache on JDK 25+), else plain {@code java -cp}.
     */
    private static ManagedProcess rtc4j(String... args) {
        String launcher = System.getProperty("bench.launcher");
        if (launcher == null) {
            return ChromiumPeerCheck.startRtc4j(args);
        }
        List<String> cmd = new java.util.ArrayList<>(List.of(launcher));
        cmd.addAll(List.of(args));
        return ManagedProcess.builder(cmd).name("rtc4j-" + args[0] + "-" + args[1]).start();
    }

    /** A fresh {@code rtc4j peer offer} process per run. */
    private Map<String, String> peerOfferProcess(String url) {
        List<String> args = new java.util.ArrayList<>(List.of("peer", "offer"));
        args.addAll(List.of(offerArgs(url, mib)));
        try (ManagedProcess p = rtc4j(args.toArray(String[]::new))) {
            p.awaitExit(Duration.ofSeconds(330));
            return p.lines().stream().filter(l -> l.startsWith("RESULT {")).findFirst()
                    .flatMap(l -> PeerJson.parseFlatObject(l.substring(7))).orElse(Map.of("ok", "false", "error", p.tail(5)));
        }
    }

    private Map<String, String> pageOffer(String url) {
        return pageOffer(url, mib);
    }

    private Map<String, String> pageOffer(String url, long mib) {
        jobs.add("{\"url\":" + PeerJson.quote(url) + ",\"mib\":" + mib + ",\"msgSize\":65536}");
        String r = poll(results, 330);
        return r == null ? Map.of("ok", "false", "error", "no result from the sending page")
                : PeerJson.parseFlatObject(r).orElse(Map.of("ok", "false", "error", r));
    }

    /** The namespace's UDP RcvbufErrors (this JVM runs inside the bench's namespace), -1 if unreadable. */
    static long udpReceiveBufferErrors() {
        return UdpCounters.read().rcvbufErrors();
    }

    private void report(String mode, int run, Map<String, String> r, long dropsBefore) {
        report(mode, "bulk", run, mib, r, dropsBefore);
    }

    /** One BENCH line; {@code kind} is bulk (MB/s and its connect_ms) or open (a connection that only opens). */
    private void report(String mode, String kind, int run, long mib, Map<String, String> r, long dropsBefore) {
        boolean ok = "true".equals(r.get("ok"));
        long dropsAfter = udpReceiveBufferErrors();
        String line = String.format(Locale.ROOT, "BENCH mode=%s kind=%s run=%d ok=%s mib=%d mbps=%s connect_ms=%s udp_drops=%d", mode,
                kind, run, ok, mib,
                r.get("mbps") == null ? "nan" : String.format(Locale.ROOT, "%.2f", Double.parseDouble(r.get("mbps"))),
                r.get("connect_ms") == null ? "nan" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(r.get("connect_ms"))),
                dropsBefore < 0 || dropsAfter < 0 ? -1 : dropsAfter - dropsBefore);
        System.out.println(line);
        c.check((ok ? "ok " : "failure ") + line + (ok ? "" : " " + r.get("error")));
    }

    private static String poll(BlockingQueue<String> q, long seconds) {
        try {
            return q.poll(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
