package io.rtc4j.peer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside a network namespace that {@link ChromiumInteropTest} made (only lo up): serves a page on 127.0.0.1
 * to headless Chromium, and pairs a real {@link RtcPeerConnection} with the browser's, in both directions:
 * (1) Chromium offers a channel and rtc4j answers and echoes; the page sends text, binary, empty text, empty
 * binary and a 65536-byte message and checks each echo's content and kind; (2) rtc4j offers a channel, Chromium
 * answers and echoes, rtc4j checks the echoes; then Chromium closes (1)'s channel and rtc4j closes (2)'s, and
 * each side sees the close. Descriptions go whole (non-trickle). Prints {@code CHECK ...} lines; exit 0 = passed.
 */
public final class ChromiumInteropCheck {
    private static final String PAGE = """
            <!doctype html><html><body><script>
            const post = async (path, body) => (await fetch(path, {method: 'POST', body})).text();
            const gathered = pc => new Promise(r => {
              if (pc.iceGatheringState === 'complete') return r();
              pc.addEventListener('icegatheringstatechange', () => { if (pc.iceGatheringState === 'complete') r(); });
            });
            const gatheredAgain = pc => new Promise(r => pc.addEventListener('icegatheringstatechange', () => {
              if (pc.iceGatheringState === 'complete') r();
            }));
            const pairChanges = async pc => {
              for (const s of (await pc.getStats()).values()) if (s.type === 'transport') return s.selectedCandidatePairChanges;
              return -1;
            };
            const until = async f => { while (!(await f())) await new Promise(r => setTimeout(r, 20)); };
            const timeout = (p, ms, what) => Promise.race([p, new Promise((_, j) => setTimeout(() => j(new Error(what + ' timed out')), ms))]);
            const same = (a, b) => {
              if (typeof a === 'string' || typeof b === 'string') return a === b;
              const x = new Uint8Array(a), y = new Uint8Array(b);
              return x.length === y.length && x.every((v, i) => v === y[i]);
            };
            async function chromiumOffers() {
              const pc = new RTCPeerConnection();
              const dc = pc.createDataChannel('echo', {protocol: 'p1'});
              dc.binaryType = 'arraybuffer';
              await pc.setLocalDescription(await pc.createOffer());
              await gathered(pc);
              await pc.setRemoteDescription({type: 'answer', sdp: await post('/offer', pc.localDescription.sdp)});
              await timeout(new Promise(r => dc.onopen = r), 20000, 'open');
              const msgs = ['hello', new Uint8Array([1, 2, 3]).buffer, '', new ArrayBuffer(0),
                            new Uint8Array(65536).fill(7).buffer, 'ünïcödé'];
              for (const m of msgs) {
                const got = timeout(new Promise(r => dc.onmessage = e => r(e.data)), 10000, 'echo');
                dc.send(m);
                const e = await got;
                if (typeof e !== typeof m || !same(e, m)) throw new Error('bad echo for ' + (typeof m) + ' ' + (m.byteLength ?? m.length));
              }
              // ICE restart from Chromium (RFC 8839 §4.4.1.1.2): rtc4j answers with new credentials, the channel goes on
              const before = await pairChanges(pc);
              pc.restartIce();
              const regathered = gatheredAgain(pc);
              await pc.setLocalDescription(await pc.createOffer());
              await timeout(regathered, 10000, 'restart gathering');
              await pc.setRemoteDescription({type: 'answer', sdp: await post('/restart', pc.localDescription.sdp)});
              await timeout(until(async () => await pairChanges(pc) > before), 10000, 'restart pair');
              const again = timeout(new Promise(r => dc.onmessage = e => r(e.data)), 10000, 'echo after restart');
              dc.send('after restart');
              if (await again !== 'after restart') throw new Error('bad echo after restart');
              const closed = timeout(new Promise(r => dc.onclose = r), 10000, 'close');
              dc.close();
              await closed;
              return 'ok ' + pc.connectionState + ' id=' + dc.id + ' mms=' + pc.sctp.maxMessageSize + ' restart=ok';
            }
            async function rtc4jOffers() {
              const pc = new RTCPeerConnection();
              const neg = pc.createDataChannel('neg', {negotiated: true, id: 5});
              neg.binaryType = 'arraybuffer';
              neg.onmessage = ev => neg.send(ev.data);
              const closed = new Promise(r => pc.ondatachannel = e => {
                const ch = e.channel;
                ch.binaryType = 'arraybuffer';
                if (ch.label === 'bulk') {
                  // counts binary messages; on the text END answers "<bytes> <sha-256 hex>"
                  const parts = [];
                  let n = 0;
                  ch.onmessage = async ev => {
                    if (typeof ev.data !== 'string') { parts.push(ev.data); n += ev.data.byteLength; return; }
                    const all = new Uint8Array(n);
                    let o = 0;
                    for (const p of parts) { all.set(new Uint8Array(p), o); o += p.byteLength; }
                    const h = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
                    ch.send(n + ' ' + Array.from(h).map(b => b.toString(16).padStart(2, '0')).join(''));
                  };
                  return;
                }
                ch.onmessage = ev => ch.send(ev.data);
                ch.onclose = () => r(ch.label + ':' + ch.id);
              });
              await pc.setRemoteDescription({type: 'offer', sdp: await (await fetch('/rtc4j-offer')).text()});
              await pc.setLocalDescription(await pc.createAnswer());
              await gathered(pc);
              await post('/answer', pc.localDescription.sdp);
              const r = await (await fetch('/rtc4j-result')).text();
              // ICE restart from rtc4j: Chromium answers the offer with new credentials
              const regathered = gatheredAgain(pc);
              await pc.setRemoteDescription({type: 'offer', sdp: await (await fetch('/rtc4j-restart')).text()});
              await pc.setLocalDescription(await pc.createAnswer());
              await timeout(regathered, 10000, 'restart gathering');
              await post('/restart-answer', pc.localDescription.sdp);
              const rr = await (await fetch('/rtc4j-restart-result')).text();
              return r + ' chromium-saw-close=' + await timeout(closed, 10000, 'close') + ' restart=' + rr;
            }
            (async () => {
              let r1, r2;
              try { r1 = await chromiumOffers(); } catch (e) { r1 = 'error ' + e.message; }
              try { r2 = await rtc4jOffers(); } catch (e) { r2 = 'error ' + e.message; }
              await post('/result', 'chromium-offers: ' + r1 + ' | rtc4j-offers: ' + r2);
            })();
            </script></body></html>
            """;

    private ChromiumInteropCheck() {}

    public static void main(String[] args) throws Exception {
        String chromium = args[0];
        boolean mdns = args.length > 1 && args[1].equals("mdns");
        Path profile = Files.createTempDirectory("rtc4j-peer-chromium");
        // the defaults: in a loopback-only namespace the peer must offer its loopback host candidates by itself
        RtcConfiguration config = RtcConfiguration.defaults();
        List<RtcPeerConnection> peers = new CopyOnWriteArrayList<>();
        List<String> failures = new CopyOnWriteArrayList<>();
        BlockingQueue<String> result = new ArrayBlockingQueue<>(4);
        CompletableFuture<String> rtc4jResult = new CompletableFuture<>();
        BlockingQueue<RtcPeerConnection> offerer = new LinkedBlockingQueue<>();
        BlockingQueue<String> answerClosed = new LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicReference<RtcPeerConnection> answering = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<RtcPeerConnection> offering = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<RtcDataChannel> negotiated = new java.util.concurrent.atomic.AtomicReference<>();
        BlockingQueue<RtcDataChannelMessage> negIn = new LinkedBlockingQueue<>();
        CompletableFuture<String> restartResult = new CompletableFuture<>();
        long[] pairChanges = new long[2];

        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            try {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String reply = switch (ex.getRequestURI().getPath()) {
                    case "/" -> PAGE;
                    case "/offer" -> {
                        // (1) rtc4j answers and echoes
                        RtcPeerConnection pc = RtcPeerConnection.create(config);
                        peers.add(pc);
                        answering.set(pc);
                        pc.onDataChannel(ch -> {
                            System.out.println("CHECK rtc4j-answerer channel label=" + ch.label() + " protocol=" + ch.protocol()
                                    + " id=" + ch.id().orElse(-1));
                            ch.onMessage(m -> {
                                if (m.binary()) ch.send(m.data()); else ch.send(m.text());
                            });
                            ch.onClose(() -> answerClosed.add(ch.label()));
                        });
                        System.out.println("CHECK chromium-offer-has-mdns " + body.contains(".local "));
                        pc.setRemoteDescription(RtcSessionDescription.offer(body));
                        pc.setLocalDescription(pc.createAnswer());
                        pc.awaitIceGatheringComplete(Duration.ofSeconds(10));
                        yield pc.localDescription().orElseThrow().sdp();
                    }
                    case "/rtc4j-offer" -> {
                        // (2) rtc4j offers and checks Chromium's echoes
                        RtcPeerConnection pc = RtcPeerConnection.create(config);
                        peers.add(pc);
                        RtcDataChannel ch = pc.createDataChannel("from-rtc4j");
                        RtcDataChannel neg = pc.createDataChannel("neg", RtcDataChannelInit.negotiated(5));
                        RtcDataChannel bulk = pc.createDataChannel("bulk");
                        BlockingQueue<RtcDataChannelMessage> in = new LinkedBlockingQueue<>();
                        offering.set(pc);
                        negotiated.set(neg);
                        BlockingQueue<RtcDataChannelMessage> bulkIn = new LinkedBlockingQueue<>();
                        ch.onMessage(in::add);
                        neg.onMessage(negIn::add);
                        bulk.onMessage(bulkIn::add);
                        ch.onOpen(() -> Thread.ofVirtual().start(() -> rtc4jResult.complete(
                                echoCheck(ch, in) + " " + negotiatedCheck(neg, negIn) + " " + bulkCheck(bulk, bulkIn))));
                        pc.setLocalDescription(pc.createOffer());
                        pc.awaitIceGatheringComplete(Duration.ofSeconds(10));
                        offerer.add(pc);
                        String sdp = pc.localDescription().orElseThrow().sdp();
                        System.out.println("CHECK rtc4j-offer-has-loopback " + sdp.contains(" 127.0.0.1 "));
                        yield sdp;
                    }
                    case "/answer" -> {
                        RtcPeerConnection pc = offerer.poll(10, TimeUnit.SECONDS);
                        System.out.println("CHECK chromium-answer-has-mdns " + body.contains(".local "));
                        pc.setRemoteDescription(RtcSessionDescription.answer(body));
                        yield "";
                    }
                    case "/rtc4j-result" -> rtc4jResult.get(30, TimeUnit.SECONDS);
                    case "/restart" -> {
                        // Chromium restarts ICE: our answer has new credentials, and the agent checks again
                        RtcPeerConnection pc = answering.get();
                        RtcStats before = pc.getStats();
                        pairChanges[0] = before.selectedCandidatePairChanges();
                        pc.setRemoteDescription(RtcSessionDescription.offer(body));
                        pc.setLocalDescription(pc.createAnswer());
                        System.out.println("CHECK rtc4j-answerer restart ufrag-changed="
                                + !before.iceLocalUsernameFragment().equals(pc.getStats().iceLocalUsernameFragment()));
                        yield pc.localDescription().orElseThrow().sdp();
                    }
                    case "/rtc4j-restart" -> {
                        RtcPeerConnection pc = offering.get();
                        pairChanges[1] = pc.getStats().selectedCandidatePairChanges();
                        pc.restartIce();
                        pc.setLocalDescription(pc.createOffer());
                        pc.awaitIceGatheringComplete(Duration.ofSeconds(10));
                        yield pc.localDescription().orElseThrow().sdp();
                    }
                    case "/restart-answer" -> {
                        RtcPeerConnection pc = offering.get();
                        pc.setRemoteDescription(RtcSessionDescription.answer(body));
                        Thread.ofVirtual().start(() -> restartResult.complete(restartCheck(pc, pairChanges[1], negotiated.get(), negIn)));
                        yield "";
                    }
                    case "/rtc4j-restart-result" -> restartResult.get(30, TimeUnit.SECONDS);
                    case "/result" -> {
                        result.offer(body);
                        yield "";
                    }
                    default -> null;
                };
                send(ex, reply);
            } catch (Exception e) {
                failures.add("server " + ex.getRequestURI().getPath() + ": " + e);
                send(ex, null);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--allow-loopback-in-peer-connection", "--user-data-dir=" + profile));
        if (!mdns) {
            // with media permission (the fake UI grants it) Chromium would stop hiding addresses behind mDNS anyway
            cmd.addAll(List.of("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                    "--disable-features=WebRtcHideLocalIpsWithMdns"));
        }
        cmd.add(url);
        Process browser = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile()).start();
        String r;
        try {
            r = result.poll(90, TimeUnit.SECONDS);
            String closedLabel = answerClosed.poll(10, TimeUnit.SECONDS);
            if (mdns) {
                // Chromium gives one address one name per session and, per RFC 6762 §6, answers the same record at
                // most once a second: the offerer's look-up of the name the answerer just resolved succeeds on
                // the resolver's retry after 1 s, while the browser still runs
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (peers.size() == 2 && peers.getLast().mdnsResolved() == 0 && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
            }
            System.out.println("CHECK rtc4j-answerer saw-close=" + closedLabel);
            RtcPeerConnection a = answering.get();
            if (a != null) {
                // reported, not asserted: when Chromium's new ports checked us with the old credentials and
                // nominated before our answer reached it, it keeps that pair and those credentials (which the
                // old generation still answers), and our new generation may select nothing (the data goes on)
                System.out.println("CHECK rtc4j-answerer restart pair-selected=" + (a.getStats().selectedCandidatePairChanges() > pairChanges[0]));
            }
        } finally {
            browser.descendants().forEach(ProcessHandle::destroy);
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
            }
            for (RtcPeerConnection pc : peers) {
                System.out.println("CHECK mdns-resolved " + (pc == peers.getFirst() ? "answerer " : "offerer ") + pc.mdnsResolved());
                System.out.println("CHECK stats " + pc.getStats());
                pc.close();
            }
            server.stop(0);
        }
        System.out.println("CHECK result " + r);
        failures.forEach(f -> System.out.println("CHECK failure " + f));
        boolean ok = r != null && r.startsWith("chromium-offers: ok") && r.contains("rtc4j-offers: ok") && failures.isEmpty();
        System.exit(ok ? 0 : 1);
    }

    /** rtc4j sends, Chromium echoes: text, binary, empty text, empty binary, a big binary; kinds must match. */
    private static String echoCheck(RtcDataChannel ch, BlockingQueue<RtcDataChannelMessage> in) {
        try {
            byte[] big = new byte[65536];
            Arrays.fill(big, (byte) 3);
            Object[] msgs = {"hi chromium", new byte[] {9, 8, 7}, "", new byte[0], big};
            for (Object m : msgs) {
                boolean binary = m instanceof byte[];
                if (binary) ch.send((byte[]) m); else ch.send((String) m);
                RtcDataChannelMessage e = in.poll(10, TimeUnit.SECONDS);
                if (e == null) return "error no echo";
                byte[] want = binary ? (byte[]) m : ((String) m).getBytes(StandardCharsets.UTF_8);
                if (e.binary() != binary || !Arrays.equals(e.data(), want)) return "error bad echo " + e;
            }
            ch.close(); // rtc4j closes: Chromium's onclose must follow
            return "ok id=" + ch.id().orElse(-1);
        } catch (InterruptedException e) {
            return "error interrupted";
        }
    }

    /** After rtc4j's ICE restart: the new checks select a pair, and the pre-negotiated channel still echoes. */
    private static String restartCheck(RtcPeerConnection pc, long changesBefore, RtcDataChannel neg,
            BlockingQueue<RtcDataChannelMessage> in) {
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pc.getStats().selectedCandidatePairChanges() <= changesBefore && System.nanoTime() < end) {
                Thread.sleep(20);
            }
            if (pc.getStats().selectedCandidatePairChanges() <= changesBefore) {
                return "error no pair selected after the restart (" + pc.iceConnectionState() + ")";
            }
            neg.send("after restart");
            RtcDataChannelMessage m = in.poll(10, TimeUnit.SECONDS);
            return m != null && m.text().equals("after restart") ? "ok" : "error echo after restart " + m;
        } catch (InterruptedException | RuntimeException e) {
            return "error " + e;
        }
    }

    /** The pre-negotiated channel (id 5 on both sides, no DCEP) opens with SCTP and echoes. */
    private static String negotiatedCheck(RtcDataChannel neg, BlockingQueue<RtcDataChannelMessage> in) {
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (neg.readyState() != RtcDataChannelState.OPEN && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            neg.send("negotiated hello");
            RtcDataChannelMessage m = in.poll(10, TimeUnit.SECONDS);
            return m != null && m.text().equals("negotiated hello") ? "negotiated=ok" : "negotiated=error " + m;
        } catch (InterruptedException | RuntimeException e) {
            return "negotiated=error " + e;
        }
    }

    /** 16 MiB of random binary messages under bufferedAmount flow control; Chromium answers count and SHA-256. */
    private static String bulkCheck(RtcDataChannel bulk, BlockingQueue<RtcDataChannelMessage> in) {
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (bulk.readyState() != RtcDataChannelState.OPEN && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            java.util.concurrent.Semaphore low = new java.util.concurrent.Semaphore(0);
            bulk.onBufferedAmountLow(low::release);
            bulk.setBufferedAmountLowThreshold(256 * 1024);
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            java.util.SplittableRandom random = new java.util.SplittableRandom(1);
            byte[] msg = new byte[64 * 1024];
            long total = 16L << 20;
            long start = System.nanoTime();
            for (long sent = 0; sent < total; sent += msg.length) {
                low.drainPermits();
                if (bulk.bufferedAmount() > (1 << 20) && !low.tryAcquire(20, TimeUnit.SECONDS)) {
                    return "bulk=error no bufferedamountlow";
                }
                random.nextBytes(msg);
                sha.update(msg);
                bulk.send(msg);
            }
            bulk.send("END");
            RtcDataChannelMessage m = in.poll(60, TimeUnit.SECONDS);
            double secs = (System.nanoTime() - start) / 1e9;
            String want = total + " " + java.util.HexFormat.of().formatHex(sha.digest());
            if (m == null || !m.text().equals(want)) {
                return "bulk=error " + (m == null ? "no answer" : m.text());
            }
            return String.format(java.util.Locale.ROOT, "bulk=ok %.1fMB/s", total / 1e6 / secs);
        } catch (Exception e) {
            return "bulk=error " + e;
        }
    }

    private static void send(HttpExchange ex, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", body != null && body.startsWith("<!doctype") ? "text/html" : "text/plain");
        ex.sendResponseHeaders(body == null ? 404 : 200, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }
}
