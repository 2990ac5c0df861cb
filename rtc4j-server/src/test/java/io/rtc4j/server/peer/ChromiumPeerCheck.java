package io.rtc4j.server.peer;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcIceServer;
import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.Rtc4jTurnProcess;
import io.rtc4j.testkit.proc.TurnServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs inside the loopback-only namespace that {@link ChromiumPeerInteropTest} made: serves peer-interop.js on
 * 127.0.0.1, starts headless Chromium on one scenario, plays the rtc4j side (in process, or as `rtc4j peer`
 * child processes), and prints {@code CHECK ok ...} / {@code CHECK failure ...} lines. Exits 0 when no step
 * failed. Arguments: scenario, chromium binary, {@code mdns} to keep Chromium's default mDNS host candidates.
 */
public final class ChromiumPeerCheck {
    static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            "--disable-background-timer-throttling", "--disable-renderer-backgrounding");

    private final Map<String, Function<String, String>> routes = new ConcurrentHashMap<>();
    private final List<String> checks = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final BlockingQueue<String> done = new ArrayBlockingQueue<>(4);
    private volatile String config = "{}";
    private volatile Function<String, String> checkHook = l -> l;

    public static void main(String[] args) throws Exception {
        String scenario = args[0];
        boolean mdns = args.length > 2 && args[2].equals("mdns");
        ChromiumPeerCheck c = new ChromiumPeerCheck();
        int exit;
        try {
            c.run(scenario, Path.of(args[1]), mdns);
        } catch (Exception | AssertionError e) {
            c.fail(scenario + ": " + e);
        } finally {
            exit = c.failures.isEmpty() ? 0 : 1;
            System.out.println("CHECK end failures=" + c.failures.size());
            System.out.flush();
        }
        System.exit(exit);
    }

    void check(String line) {
        String l = checkHook.apply(line);
        checks.add(l);
        System.out.println("CHECK " + l);
        System.out.flush();
        if (!l.startsWith("ok")) {
            failures.add(l);
        }
    }

    void fail(String why) {
        check("failure " + why);
    }

    boolean awaitCheck(String line, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (checks.contains(line)) {
                return true;
            }
            Thread.sleep(50); // polls a list the HTTP threads fill; bounded by timeout
        }
        return checks.contains(line);
    }

    private void run(String scenario, Path chromium, boolean mdns) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 32);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", this::serve);
        routes.put("/", b -> "<!doctype html><html><body><script src=\"/peer-interop.js\"></script></body></html>");
        routes.put("/peer-interop.js", b -> resource("peer-interop.js"));
        routes.put("/config", b -> config);
        routes.put("/check", b -> {
            check(b);
            return "";
        });
        routes.put("/done", b -> {
            done.offer(b);
            return "";
        });
        http.start();
        origin = "http://127.0.0.1:" + http.getAddress().getPort();
        this.chromium = chromium;
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            ChromiumScenarios s = new ChromiumScenarios(this, resources);
            s.prepare(scenario);
            // mdns and turn run the chromium-offers page with other browser flags or another /config
            String page = switch (scenario) {
                case "mdns", "turn" -> "chromium-offers";
                case "bench" -> "bulk-sender";
                default -> scenario;
            };
            resources.add(browser(page, mdns));
            s.drive(scenario, origin);
        } finally {
            for (AutoCloseable r : resources.reversed()) {
                try {
                    r.close();
                } catch (Exception e) {
                    System.out.println("close: " + e);
                }
            }
            http.stop(0);
        }
    }

    private volatile String origin;
    private volatile Path chromium;

    /** A headless Chromium on one page of ours, with its own profile; closing ends its process tree. */
    AutoCloseable browser(String page, boolean mdns) throws IOException {
        Path profile = Files.createTempDirectory("rtc4j-peer-chromium");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString()));
        cmd.addAll(FLAGS);
        if (mdns) {
            // --use-fake-ui-for-media-stream grants the page camera and microphone, and Chromium exposes
            // plain host addresses to pages that hold that permission: leave it out to see mDNS names
            cmd.removeIf(f -> f.startsWith("--use-fake-"));
        } else {
            cmd.add("--disable-features=WebRtcHideLocalIpsWithMdns");
        }
        cmd.add("--user-data-dir=" + profile);
        cmd.add(origin + "/?s=" + page);
        Process browser = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(profile.resolve("chromium.log").toFile()).start();
        return () -> {
            browser.descendants().forEach(ProcessHandle::destroy);
            browser.destroy();
            if (!browser.waitFor(10, TimeUnit.SECONDS)) {
                browser.descendants().forEach(ProcessHandle::destroyForcibly);
                browser.destroyForcibly();
            }
            if (!failures.isEmpty()) {
                List<String> log = Files.readAllLines(profile.resolve("chromium.log"));
                log.subList(Math.max(0, log.size() - 30), log.size()).forEach(l -> System.out.println("chromium " + page + ": " + l));
            }
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        };
    }

    String origin() {
        return origin;
    }

    /** The page's "/done" line, or a failure when it does not come in time. */
    void awaitDone(Duration timeout) throws InterruptedException {
        String d = done.poll(timeout.toSeconds(), TimeUnit.SECONDS);
        if (d == null) {
            fail("the page did not finish within " + timeout.toSeconds() + " s");
        } else if (!d.equals("ok")) {
            fail("page: " + d);
        } else {
            check("ok page done");
        }
    }

    void route(String path, Function<String, String> handler) {
        routes.put(path, handler);
    }

    void config(String json) {
        config = json;
    }

    void checkHook(Function<String, String> hook) {
        checkHook = hook;
    }

    static RtcConfiguration rtc4jConfig(TurnServerProcess turn) {
        RtcConfiguration.Builder b = RtcConfiguration.builder().ipv6(false);
        if (turn != null) {
            b.iceServer(RtcIceServer.turn("turn:127.0.0.1:" + turn.listeningPort() + "?transport=udp", "peer", "secret"))
                    .iceTransportPolicy(RtcConfiguration.IceTransportPolicy.RELAY);
        }
        return b.build();
    }

    static TurnServerProcess startTurn() {
        return Rtc4jTurnProcess.builder().classpath(System.getProperty("java.class.path")).listeningIp("127.0.0.1")
                .listeningPort(FreePorts.udpAndTcp()).relayPorts(FreePorts.relayRange(40)).realm("rtc4j").user("peer", "secret")
                .allowedPeerIp("127.0.0.1").extraArgs("--no-tls").start();
    }

    static ManagedProcess startRtc4j(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.rtc4j.server.Main"));
        cmd.addAll(List.of(args));
        return ManagedProcess.builder(cmd).name("rtc4j-" + args[0] + "-" + args[1]).start();
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Function<String, String> h = routes.get(ex.getRequestURI().getPath());
            String reply;
            try {
                reply = h == null ? null : h.apply(body);
            } catch (RuntimeException e) {
                fail("route " + ex.getRequestURI().getPath() + ": " + e);
                reply = null;
            }
            byte[] b = (reply == null ? "not found" : reply).getBytes(StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            ex.getResponseHeaders().set("Content-Type", path.endsWith(".js") ? "text/javascript"
                    : path.equals("/") ? "text/html" : path.equals("/config") || path.equals("/offer") ? "application/json" : "text/plain");
            ex.sendResponseHeaders(reply == null ? 404 : 200, b.length);
            ex.getResponseBody().write(b);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ChromiumPeerCheck.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
