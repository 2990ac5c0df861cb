package io.rtc4j.server.peer;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code rtc4j peer train} (hidden): one echo and one bulk run of {@code peer offer} against {@code peer answer}
 * in this JVM over 127.0.0.1. The launcher runs it once under {@code -XX:AOTCacheOutput} (JDK 25+, JEP 483/515)
 * so that later runs of {@code rtc4j} start with the whole stack's classes loaded and linked and its hot
 * methods profiled: a fresh {@code rtc4j peer offer} then opens its channel several times sooner.
 */
@Command(name = "train", hidden = true, description = "Exercise offer and answer in-process (for the JVM's AOT cache).")
final class PeerTrainCommand implements Callable<Integer> {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Override
    public Integer call() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PeerAnswerCommand answer = new PeerAnswerCommand();
        new CommandLine(answer).parseArgs("--port", String.valueOf(port), "--lifetime", String.valueOf(BOUND.toSeconds()),
                "--bind-address", "127.0.0.1"); // loopback only, on both sides
        Thread server = Thread.ofPlatform().name("rtc4j-train-answer").start(() -> {
            try {
                answer.call();
            } catch (Exception e) {
                answer.stop.countDown();
            }
        });
        try {
            String base = "http://127.0.0.1:" + port;
            awaitHealthy(URI.create(base + "/health"));
            boolean ok = offer(base, "echo", "--count", "30") & offer(base, "bulk", "--mib", "32");
            return ok ? 0 : 1;
        } finally {
            answer.stop.countDown();
            server.join(BOUND.toMillis());
        }
    }

    private static boolean offer(String base, String mode, String... extra) {
        PeerOfferCommand cmd = new PeerOfferCommand();
        String[] args = new String[8 + extra.length];
        String[] head = {"--url", base + "/offer", "--mode", mode, "--timeout", "60", "--bind-address", "127.0.0.1"};
        System.arraycopy(head, 0, args, 0, head.length);
        System.arraycopy(extra, 0, args, head.length, extra.length);
        new CommandLine(cmd).parseArgs(args);
        PeerOfferCommand.PeerResult r = cmd.run();
        System.err.println("rtc4j peer train: " + r.json());
        return r.ok;
    }

    private static void awaitHealthy(URI health) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("peer answer did not become healthy within " + BOUND);
    }
}
