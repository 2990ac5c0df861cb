package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcSessionDescription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rtc4j peer offer}: one ordered, reliable, in-band channel ({@code echo} or {@code bulk}) created before
 * the offer; the offer goes to {@code --url} once gathering completes, the answer comes back in the response.
 * Prints exactly one {@code RESULT {json}} line and exits 0 on success, 1 on failure.
 */
@Command(name = "offer", mixinStandardHelpOptions = true, description = "Offer to a peer's POST /offer and run echo or bulk.")
final class PeerOfferCommand implements Callable<Integer> {
    enum Mode { echo, bulk }

    @Option(names = "--url", required = true, description = "The answerer's offer endpoint, e.g. http://127.0.0.1:8080/offer.")
    URI url;

    @Option(names = "--mode", required = true, description = "echo or bulk.")
    Mode mode;

    @Option(names = "--count", defaultValue = "100", description = "Echo: number of messages (default ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--mib", defaultValue = "64", description = "Bulk: MiB to send (default ${DEFAULT-VALUE}).")
    long mib;

    @Option(names = "--msg-size", defaultValue = "65536", description = "Bulk: message size in bytes, capped at the remote max-message-size (default ${DEFAULT-VALUE}).")
    int msgSize;

    @Option(names = "--timeout", defaultValue = "60", description = "Give up after this many seconds (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin
    PeerIceOptions ice;

    @Override
    public Integer call() {
        return run().print();
    }

    /** One connection and its run; the caller prints the result (benchmarks call this repeatedly in one JVM). */
    PeerResult run() {
        PeerResult r = new PeerResult(mode.name());
        if (count < 0 || mib < 0 || msgSize < 1 || timeoutSeconds < 1) {
            r.fail("--count and --mib must be >= 0, --msg-size and --timeout >= 1");
            return r;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        RtcConfiguration config;
        try {
            config = ice.configuration();
        } catch (IllegalArgumentException e) {
            r.fail(e.getMessage());
            return r;
        }
        try (RtcPeerConnection pc = RtcPeerConnection.create(config)) {
            if (!pc.unusedIceServers().isEmpty()) {
                System.err.println("rtc4j peer: ICE servers not used: " + pc.unusedIceServers());
            }
            RtcDataChannel ch = pc.createDataChannel(mode.name());
            CountDownLatch open = new CountDownLatch(1);
            ch.onOpen(open::countDown);
            pc.setLocalDescription(pc.createOffer());
            if (!pc.awaitIceGatheringComplete(remaining(deadline))) {
                r.fail("ICE gathering did not complete");
                return r;
            }
            long posted = System.nanoTime();
            String answer = post(pc.localDescription().orElseThrow().sdp(), deadline);
            pc.setRemoteDescription(RtcSessionDescription.answer(answer));
            if (!open.await(remaining(deadline).toMillis(), TimeUnit.MILLISECONDS)) {
                r.fail("channel did not open (connection " + pc.connectionState()
                        + (pc.failureReason().isEmpty() ? "" : ": " + pc.failureReason()) + ")");
                return r;
            }
            r.connectMs = (System.nanoTime() - posted) / 1e6;
            // W3C RTCSctpTransport.maxMessageSize: the answer's a=max-message-size (RFC 8841 §6)
            long remoteMax = Math.min(pc.maxMessageSize().orElse(65536), 1L << 30);
            pc.getStats().selectedPair().ifPresent(p -> r.pair = p.localType() + "-" + p.remoteType());
            if (mode == Mode.echo) {
                new PeerEchoRun(ch, count, remoteMax, deadline).run(r);
            } else {
                new PeerBulkRun(ch, mib * 1024 * 1024, (int) Math.min(msgSize, remoteMax), deadline).run(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            r.fail("interrupted");
        } catch (Exception e) {
            r.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return r;
    }

    private String post(String sdp, long deadline) throws Exception {
        String offer = PeerJson.description("offer", sdp);
        int status;
        String body;
        if ("http".equalsIgnoreCase(url.getScheme())) {
            PeerHttpPost.Response resp = PlainHttp.POST.post(url, offer, (int) Math.min(Integer.MAX_VALUE, remaining(deadline).toMillis()));
            status = resp.status();
            body = resp.body();
        } else {
            HttpRequest req = HttpRequest.newBuilder(url).timeout(remaining(deadline))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(offer)).build();
            HttpResponse<String> resp = Http.CLIENT.send(req, HttpResponse.BodyHandlers.ofString());
            status = resp.statusCode();
            body = resp.body();
        }
        if (status != 200) {
            throw new IllegalStateException("POST " + url + " answered " + status + ": " + body);
        }
        Map<String, String> json = PeerJson.parseFlatObject(body)
                .orElseThrow(() -> new IllegalStateException("the answer is not a flat JSON object"));
        if (!"answer".equals(json.get("type")) || json.get("sdp") == null) {
            throw new IllegalStateException("expected {\"type\":\"answer\",\"sdp\":...}");
        }
        return json.get("sdp");
    }

    /**
     * One HTTP client per process, made on first use (the holder idiom): a new client per offer costs a
     * connection (and for the JDK's client a selector thread) on the path connect_ms measures, and benchmarks run
     * many offers in one JVM. {@code http://} goes through {@link PeerHttpPost}; {@code https://} through the JDK.
     */
    private static final class PlainHttp {
        static final PeerHttpPost POST = new PeerHttpPost();
    }

    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1) // no h2c upgrade try
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    /** The one RESULT line. */
    static final class PeerResult {
        final String mode;
        boolean ok = true;
        String error;
        double connectMs = -1;
        String pair;
        long bytes = -1;
        double secs = -1;
        long messages = -1;

        PeerResult(String mode) {
            this.mode = mode;
        }

        void fail(String why) {
            if (ok) {
                ok = false;
                error = why;
            }
        }

        int print() {
            System.out.println("RESULT " + json());
            System.out.flush();
            return ok ? 0 : 1;
        }

        /** The result as the contract's flat JSON object. */
        String json() {
            StringBuilder b = new StringBuilder("{\"peer\":\"rtc4j\",\"role\":\"offer\",\"mode\":").append(PeerJson.quote(mode))
                    .append(",\"ok\":").append(ok)
                    .append(",\"connect_ms\":").append(connectMs < 0 ? "null" : String.format(Locale.ROOT, "%.1f", connectMs));
            if (mode.equals("bulk")) {
                b.append(",\"bytes\":").append(Math.max(bytes, 0))
                        .append(",\"secs\":").append(secs < 0 ? "null" : String.format(Locale.ROOT, "%.3f", secs))
                        .append(",\"mbps\":").append(secs <= 0 ? "null" : String.format(Locale.ROOT, "%.2f", bytes / 1e6 / secs));
            } else {
                b.append(",\"messages\":").append(Math.max(messages, 0));
            }
            if (pair != null) {
                b.append(",\"pair\":").append(PeerJson.quote(pair));
            }
            if (error != null) {
                b.append(",\"error\":").append(PeerJson.quote(error));
            }
            return b.append('}').toString();
        }
    }
}
