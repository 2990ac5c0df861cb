package io.rtc4j.server.peer;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
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
 */
final class PeerBench {
    private final ChromiumPeerCheck c;
    private final List<AutoCloseable> resources;
    private final int runs = Integer.getInteger("bench.runs", 3);
    private final long mib = Long.getLong("bench.mib", 100);
    private final BlockingQueue<String> offers = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> jobs = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> results = new ArrayBlockingQueue<>(4);
    private String answerUrl;

    PeerBench(ChromiumPeerCheck c, List<AutoCloseable> resources) {
        this.c = c;
        this.resources = resources;
    }

    void prepare() throws Exception {
        int port = FreePorts.udpAndTcp();
        ManagedProcess answer = ChromiumPeerCheck.startRtc4j("peer", "answer", "--port", String.valueOf(port), "--lifetime", "1800");
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
        for (int run = 1; run <= runs; run++) {
            report("rtc4j->rtc4j", run, peerOffer(answerUrl));
            report("rtc4j->chromium", run, peerOffer(chromiumOffer));
            report("chromium->rtc4j", run, pageOffer(answerUrl));
            report("chromium->chromium", run, pageOffer(chromiumOffer));
        }
        jobs.add("{\"stop\":true}");
    }

    private Map<String, String> peerOffer(String url) {
        try (ManagedProcess p = ChromiumPeerCheck.startRtc4j("peer", "offer", "--url", url, "--mode", "bulk", "--mib", String.valueOf(mib),
                "--timeout", "300")) {
            p.awaitExit(Duration.ofSeconds(330));
            return p.lines().stream().filter(l -> l.startsWith("RESULT {")).findFirst()
                    .flatMap(l -> PeerJson.parseFlatObject(l.substring(7))).orElse(Map.of("ok", "false", "error", p.tail(5)));
        }
    }

    private Map<String, String> pageOffer(String url) {
        jobs.add("{\"url\":" + PeerJson.quote(url) + ",\"mib\":" + mib + ",\"msgSize\":65536}");
        String r = poll(results, 330);
        return r == null ? Map.of("ok", "false", "error", "no result from the sending page")
                : PeerJson.parseFlatObject(r).orElse(Map.of("ok", "false", "error", r));
    }

    private void report(String mode, int run, Map<String, String> r) {
        boolean ok = "true".equals(r.get("ok"));
        String line = String.format(Locale.ROOT, "BENCH mode=%s run=%d ok=%s mib=%d mbps=%s connect_ms=%s", mode, run, ok, mib,
                r.get("mbps") == null ? "nan" : String.format(Locale.ROOT, "%.2f", Double.parseDouble(r.get("mbps"))),
                r.get("connect_ms") == null ? "nan" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(r.get("connect_ms"))));
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
