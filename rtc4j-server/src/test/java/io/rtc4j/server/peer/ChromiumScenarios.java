package io.rtc4j.server.peer;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.TurnServerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rtc4j side of each Chromium scenario (see peer-interop.js for the page side). */
final class ChromiumScenarios {
    static final long BIG_MIB = 200;
    private static final Pattern SHA_REPLY = Pattern.compile("^sha-reply (\\d+) ([0-9a-f]{64}) secs=([0-9.]+)$");

    private final ChromiumPeerCheck c;
    private final List<AutoCloseable> resources;
    private long mib;
    private Rtc4jAnswerer answerer;
    private Rtc4jOfferer offerer;
    private ManagedProcess peerAnswer;
    private final BlockingQueue<String> offers = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(4);
    private final BlockingQueue<String> chromiumAnswer = new ArrayBlockingQueue<>(1);
    private PeerBench bench;

    ChromiumScenarios(ChromiumPeerCheck c, List<AutoCloseable> resources) {
        this.c = c;
        this.resources = resources;
    }

    /** Before Chromium starts: routes, config, servers. */
    void prepare(String scenario) throws Exception {
        switch (scenario) {
            case "chromium-offers", "mdns", "turn" -> {
                mib = scenario.equals("chromium-offers") ? BIG_MIB : scenario.equals("turn") ? 16 : 4;
                TurnServerProcess turn = scenario.equals("turn") ? ChromiumPeerCheck.startTurn() : null;
                if (turn != null) {
                    resources.add(turn);
                    c.config("{\"mib\":" + mib + ",\"policy\":\"relay\",\"iceServers\":[{\"urls\":\"turn:127.0.0.1:" + turn.listeningPort()
                            + "?transport=udp\",\"username\":\"peer\",\"credential\":\"secret\"}]}");
                } else {
                    c.config("{\"mib\":" + mib + (scenario.equals("mdns") ? ",\"gatheringMayStall\":true" : "") + "}");
                }
                answerer = new Rtc4jAnswerer(ChromiumPeerCheck.rtc4jConfig(turn), c::check);
                resources.add(answerer);
                c.route("/rtc4j/answer", sdp -> {
                    try {
                        return answerer.answer(sdp);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                String expected = (mib * InteropStream.MIB) + " " + InteropStream.sha256Hex(mib * InteropStream.MIB);
                c.checkHook(line -> {
                    if (line.startsWith("ok opened")) {
                        return line + " rtc4j-pair=" + answerer.pair();
                    }
                    Matcher m = SHA_REPLY.matcher(line);
                    if (!line.startsWith("sha-reply")) {
                        return line;
                    }
                    if (!m.matches() || !(m.group(1) + " " + m.group(2)).equals(expected)) {
                        return "failure chromium->rtc4j sha-reply " + line + " expected " + expected;
                    }
                    double secs = Double.parseDouble(m.group(3));
                    return String.format("ok chromium->rtc4j %d MiB sha256 matches secs=%.3f mbps=%.2f", mib, secs, mib * InteropStream.MIB / 1e6 / secs);
                });
            }
            case "rtc4j-offers" -> {
                offerer = new Rtc4jOfferer(ChromiumPeerCheck.rtc4jConfig(null), c::check);
                resources.add(offerer);
                String offer = offerer.offer();
                c.route("/rtc4j/offer", b -> offer);
                c.route("/rtc4j/chromium-answer", sdp -> {
                    chromiumAnswer.offer(sdp);
                    return "";
                });
            }
            case "page-to-peer-answer" -> {
                int port = FreePorts.udpAndTcp();
                // no --bind-address: in this namespace the peer must find and offer 127.0.0.1 itself
                peerAnswer = ChromiumPeerCheck.startRtc4j("peer", "answer", "--port", String.valueOf(port), "--lifetime", "600");
                resources.add(peerAnswer);
                peerAnswer.awaitOutput(PeerProcesses.READY, Duration.ofSeconds(60));
                c.config("{\"mib\":" + BIG_MIB + ",\"offerUrl\":\"http://127.0.0.1:" + port + "/offer\",\"health\":\"http://127.0.0.1:" + port + "/health\"}");
            }
            case "peer-offer-to-page" -> {
                c.config("{\"offers\":2}");
                c.route("/offer", body -> {
                    Map<String, String> json = PeerJson.parseFlatObject(body).orElseThrow();
                    offers.add(json.get("sdp"));
                    try {
                        String a = answers.poll(60, TimeUnit.SECONDS);
                        return a == null ? null : PeerJson.description("answer", a);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                c.route("/page/next-offer", b -> {
                    try {
                        return offers.poll(180, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                c.route("/page/answer", sdp -> {
                    answers.add(sdp);
                    return "";
                });
            }
            case "bench" -> {
                bench = new PeerBench(c, resources);
                bench.prepare();
            }
            default -> throw new IllegalArgumentException("unknown scenario " + scenario);
        }
    }

    /** After Chromium started. */
    void drive(String scenario, String origin) throws Exception {
        switch (scenario) {
            case "chromium-offers", "mdns", "turn" -> {
                c.awaitDone(Duration.ofSeconds(240));
                if (!c.awaitCheck("ok rtc4j saw echo closed", Duration.ofSeconds(20))) {
                    c.fail("rtc4j did not see chromium close echo");
                }
                if (!c.awaitCheck("ok rtc4j saw closeme closed", Duration.ofSeconds(5))) {
                    c.fail("rtc4j did not report its own close of closeme");
                }
            }
            case "rtc4j-offers" -> {
                String answer = chromiumAnswer.poll(60, TimeUnit.SECONDS);
                if (answer == null) {
                    c.fail("no answer from chromium");
                    return;
                }
                offerer.run(answer, BIG_MIB, c::awaitCheck);
            }
            case "page-to-peer-answer" -> c.awaitDone(Duration.ofSeconds(240));
            case "peer-offer-to-page" -> {
                String url = origin + "/offer";
                runPeerOffer("--url", url, "--mode", "echo", "--count", "40", "--timeout", "120");
                runPeerOffer("--url", url, "--mode", "bulk", "--mib", String.valueOf(BIG_MIB), "--timeout", "240");
            }
            case "bench" -> bench.drive();
            default -> throw new IllegalArgumentException(scenario);
        }
    }

    private void runPeerOffer(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "peer";
        all[1] = "offer";
        System.arraycopy(args, 0, all, 2, args.length);
        try (ManagedProcess p = ChromiumPeerCheck.startRtc4j(all)) {
            int exit = p.awaitExit(Duration.ofSeconds(300));
            String result = p.lines().stream().filter(l -> l.startsWith("RESULT ")).reduce((a, b) -> a + " | " + b).orElse("none");
            c.check((exit == 0 ? "ok" : "failure") + " peer-offer exit=" + exit + " " + result + (exit == 0 ? "" : "\n" + p.tail(20)));
        }
    }
}
