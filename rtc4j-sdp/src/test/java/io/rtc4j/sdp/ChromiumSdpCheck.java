package io.rtc4j.sdp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs inside a network namespace that {@link ChromiumSdpAcceptanceTest} made (only lo up): serves a page on
 * 127.0.0.1 to headless Chromium and lets the real browser judge rtc4j's SDP. Chromium (1) applies our offer,
 * answers it, and takes our trickled candidate; (2) offers audio + video + data and applies our answer.
 * Prints {@code CHECK <step> <detail>} lines and exits 0 when every step passed.
 */
public final class ChromiumSdpCheck {
    private static final String PAGE = """
            <!doctype html><html><body><script>
            async function post(path, body) { return (await fetch(path, {method: 'POST', body})).text(); }
            (async () => {
              try {
                const a = new RTCPeerConnection();
                await a.setRemoteDescription({type: 'offer', sdp: await (await fetch('/rtc4j-offer')).text()});
                await a.addIceCandidate({candidate: await (await fetch('/rtc4j-candidate')).text(), sdpMid: '0'});
                await a.setLocalDescription(await a.createAnswer());
                await post('/chromium-answer', a.localDescription.sdp);
                const b = new RTCPeerConnection();
                b.addTransceiver('audio'); b.addTransceiver('video'); b.createDataChannel('chat');
                await b.setLocalDescription(await b.createOffer());
                const answer = await post('/chromium-offer', b.localDescription.sdp);
                await b.setRemoteDescription({type: 'answer', sdp: answer});
                await post('/result', 'ok ' + b.signalingState + ' sctp.maxMessageSize=' + (b.sctp && b.sctp.maxMessageSize)
                    + ' transceivers=[' + b.getTransceivers().map(t => t.mid + ':' + t.currentDirection).join(',') + ']'
                    + ' a.sctp.maxMessageSize=' + (a.sctp && a.sctp.maxMessageSize));
              } catch (e) { await post('/result', 'error ' + e.name + ': ' + e.message); }
            })();
            </script></body></html>
            """;

    private ChromiumSdpCheck() {}

    public static void main(String[] args) throws Exception {
        String chromium = args[0];
        Path profile = Files.createTempDirectory("rtc4j-sdp-chromium");
        JsepLocalParameters local = JsepTest.LOCAL;
        SdpLine.Origin origin = Jsep.newOrigin(new SplittableRandom(5));
        SessionDescription offer = Jsep.createOffer(local, origin);
        SdpCandidate candidate = SdpCandidate.of("1", 1, "udp", 2122260223L, "127.0.0.1", 40000, "host");
        BlockingQueue<String> result = new ArrayBlockingQueue<>(4);
        List<String> failures = new ArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            try {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String reply = switch (ex.getRequestURI().getPath()) {
                    case "/" -> PAGE;
                    case "/rtc4j-offer" -> offer.toSdp();
                    case "/rtc4j-candidate" -> candidate.toCandidateString();
                    case "/chromium-answer" -> check("chromium-answer", body, failures);
                    case "/chromium-offer" -> answer(body, local, failures);
                    case "/result" -> {
                        result.offer(body);
                        yield "";
                    }
                    default -> null;
                };
                send(ex, reply);
            } catch (RuntimeException e) {
                failures.add("server: " + e);
                send(ex, null);
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        Process browser = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--allow-loopback-in-peer-connection", "--user-data-dir=" + profile, url)
                .redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        String r;
        try {
            r = result.poll(60, TimeUnit.SECONDS);
        } finally {
            browser.descendants().forEach(ProcessHandle::destroy);
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) browser.destroyForcibly();
            server.stop(0);
        }
        System.out.println("CHECK result " + r);
        failures.forEach(f -> System.out.println("CHECK failure " + f));
        System.exit(r != null && r.startsWith("ok stable") && failures.isEmpty() ? 0 : 1);
    }

    /** Chromium's answer to our offer: RFC 8842 active, our mid, data channel in the current form. */
    private static String check(String what, String sdp, List<String> failures) {
        try {
            SessionDescription sd = SessionDescription.parse(sdp);
            if (!sd.toSdp().equals(sdp)) failures.add(what + " does not round-trip");
            JsepRemoteParameters p = Jsep.remoteParameters(sd);
            System.out.println("CHECK " + what + " setup=" + p.setup() + " mid=" + p.mid() + " sctp=" + p.sctpPort()
                    + " mms=" + p.maxMessageSize());
            if (p.setup() != SetupRole.ACTIVE || !"0".equals(p.mid()) || p.legacySctpmap()) failures.add(what + " unexpected: " + p);
        } catch (SdpParseException | JsepException e) {
            failures.add(what + ": " + e.getMessage());
        }
        return "";
    }

    private static String answer(String sdp, JsepLocalParameters local, List<String> failures) {
        try {
            SessionDescription offer = SessionDescription.parse(sdp);
            if (!offer.toSdp().equals(sdp)) failures.add("chromium-offer does not round-trip");
            SessionDescription answer = Jsep.createAnswer(offer, local, Jsep.newOrigin(new SplittableRandom(6)));
            System.out.println("CHECK chromium-offer m-sections=" + offer.media().size());
            return answer.toSdp();
        } catch (SdpParseException | JsepException e) {
            failures.add("chromium-offer: " + e.getMessage());
            return "";
        }
    }

    private static void send(HttpExchange ex, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("content-type", body != null && body.startsWith("<!doctype") ? "text/html" : "text/plain");
        ex.sendResponseHeaders(body == null ? 404 : 200, b.length == 0 ? -1 : b.length);
        if (b.length > 0) ex.getResponseBody().write(b);
        ex.close();
    }
}
