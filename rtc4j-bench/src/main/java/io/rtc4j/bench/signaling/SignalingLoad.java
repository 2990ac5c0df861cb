package io.rtc4j.bench.signaling;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Signaling load generator: N WebSocket clients (Netty, few threads) in rooms of R; once all have joined, a
 * pacer sends offer, answer and ice_candidate messages between every pair of every room at a fixed total rate.
 * Each message carries its send time ({@code "t"}, this JVM's nanoTime; the relay keeps unknown fields), so the
 * receiver measures the relay latency through the server. At the end, the server's heap is read with jcmd.
 *
 * <p>Usage: {@code SignalingLoad --url ws://127.0.0.1:PORT/ws [--clients 5000] [--room-size 5] [--rate 5000]
 * [--seconds 30] [--threads 2] [--server-pid PID] [--server-not-jvm]}. Sends only to the URL given (loopback in bench/signaling.sh).
 */
public final class SignalingLoad {
    private static final String SDP = fakeSdp();

    private final URI uri;
    private final int clients;
    private final int roomSize;
    private final int rate;
    private final int seconds;
    private final EventLoopGroup group;
    private final Channel[] channels;
    private final CountDownLatch joined;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final int warmupSeconds;
    /** Messages sent before this nanoTime warm the JIT and are not measured. */
    private volatile long measureFrom = Long.MAX_VALUE;

    private SignalingLoad(URI uri, int clients, int roomSize, int rate, int seconds, int warmupSeconds, int threads) {
        this.uri = uri;
        this.warmupSeconds = warmupSeconds;
        this.clients = clients;
        this.roomSize = roomSize;
        this.rate = rate;
        this.seconds = seconds;
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.channels = new Channel[clients];
        this.joined = new CountDownLatch(clients);
    }

    public static void main(String[] args) throws Exception {
        String url = null;
        int clients = 5000;
        int roomSize = 5;
        int rate = 5000;
        int seconds = 30;
        int threads = 2;
        int warmup = 10;
        long serverPid = -1;
        boolean jvm = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--url" -> url = args[++i];
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--room-size" -> roomSize = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> warmup = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--server-pid" -> serverPid = Long.parseLong(args[++i]);
                case "--server-not-jvm" -> jvm = false; // an anchor (Node.js): CPU and RSS, no jcmd heap
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (url == null) {
            throw new IllegalArgumentException("--url ws://127.0.0.1:PORT/ws is required");
        }
        URI uri = URI.create(url);
        if (!java.net.InetAddress.getByName(uri.getHost()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the load generator only targets loopback: " + url);
        }
        SignalingLoad load = new SignalingLoad(uri, clients, roomSize, rate, seconds, warmup, threads);
        try {
            load.run(serverPid, jvm);
        } finally {
            load.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
    }

    private void run(long serverPid, boolean jvm) throws Exception {
        long t0 = System.nanoTime();
        connectAll();
        if (!joined.await(180, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + (clients - joined.getCount()) + " of " + clients + " joined in 180 s");
        }
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        System.err.printf(Locale.ROOT, "signaling-load: %d clients joined %d rooms in %.1f s%n", clients, clients / roomSize, connectSeconds);
        String heapIdle = serverPid > 0 && jvm ? heap(serverPid, false) : "n/a";

        // pacing: every 10 ms, send rate/100 messages, walking rooms x pairs x (offer, answer, 4+4 candidates)
        List<int[]> plan = planForRoom();
        int rooms = clients / roomSize;
        long perTick = Math.max(1, rate / 100);
        long warmupTicks = warmupSeconds * 100L;
        long ticks = warmupTicks + seconds * 100L;
        long cursor = 0;
        long start = System.nanoTime();
        long sentBeforeMeasuring = 0;
        long cpuAtStart = -1;
        long sysAtStart = -1;
        long measuredStart = start;
        for (long tick = 0; tick < ticks; tick++) {
            if (tick == warmupTicks) {
                cpuAtStart = serverPid > 0 ? cpuTicks(serverPid) : -1;
                sysAtStart = serverPid > 0 ? systemTicks(serverPid) : -1;
                measuredStart = System.nanoTime();
                measureFrom = measuredStart;
                sentBeforeMeasuring = sent.get();
            }
            for (long k = 0; k < perTick; k++, cursor++) {
                int room = (int) (cursor % rooms);
                int[] step = plan.get((int) ((cursor / rooms) % plan.size()));
                send(room, step[0], step[1], step[2]);
            }
            long next = start + (tick + 1) * 10_000_000L;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
        }
        double sendSeconds = (System.nanoTime() - measuredStart) / 1e9;
        long cpuAtEnd = serverPid > 0 ? cpuTicks(serverPid) : -1;
        long sysAtEnd = serverPid > 0 ? systemTicks(serverPid) : -1;
        long measuredMessages = sent.get() - sentBeforeMeasuring;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < sent.get() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        String load = java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        String heapLoaded = serverPid > 0 && jvm ? heap(serverPid, false) : "n/a";
        String heapLive = serverPid > 0 && jvm ? heap(serverPid, true) : "n/a";
        String rss = serverPid > 0 ? rss(serverPid) : "n/a";
        System.out.printf(Locale.ROOT, "clients=%d rooms=%d room_size=%d connect_s=%.1f%n", clients, rooms, roomSize, connectSeconds);
        System.out.printf(Locale.ROOT, "warmup_s=%d measured_s=%d sent=%d received=%d measured=%d errors=%d achieved_rate=%.0f/s%n",
                warmupSeconds, seconds, sent.get(), received.get(), latency.count(), errors.get(),
                (sent.get() - sentBeforeMeasuring) / sendSeconds);
        System.out.printf(Locale.ROOT, "latency_ms p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f%n",
                latency.quantileMillis(0.50), latency.quantileMillis(0.90), latency.quantileMillis(0.99),
                latency.quantileMillis(0.999), latency.maxMillis());
        System.out.printf(Locale.ROOT, "server_cpu_us_per_relayed_message=%s server_kernel_share=%s server_cpu_share_of_one_core=%s loadavg=\"%s\"%n",
                cpuAtStart < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", (cpuAtEnd - cpuAtStart) * 1e4 / measuredMessages),
                sysAtStart < 0 || cpuAtEnd == cpuAtStart ? "n/a"
                        : String.format(Locale.ROOT, "%.2f", (double) (sysAtEnd - sysAtStart) / (cpuAtEnd - cpuAtStart)),
                cpuAtStart < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", (cpuAtEnd - cpuAtStart) / 100.0 / sendSeconds), load);
        System.out.printf(Locale.ROOT, "server_heap_used_idle=%s server_heap_used_loaded=%s server_heap_live_after_gc=%s server_rss=%s%n",
                heapIdle, heapLoaded, heapLive, rss);
        for (Channel ch : channels) {
            if (ch != null) {
                ch.close();
            }
        }
    }

    /** One room's round: for each pair (a,b): offer a->b, answer b->a, 4 candidates each way. {from, to, kind}. */
    private List<int[]> planForRoom() {
        List<int[]> plan = new ArrayList<>();
        for (int a = 0; a < roomSize; a++) {
            for (int b = a + 1; b < roomSize; b++) {
                plan.add(new int[] {a, b, 0});
                plan.add(new int[] {b, a, 1});
                for (int c = 0; c < 4; c++) {
                    plan.add(new int[] {a, b, 2});
                    plan.add(new int[] {b, a, 2});
                }
            }
        }
        return plan;
    }

    private void send(int room, int from, int to, int kind) {
        Channel ch = channels[room * roomSize + from];
        String target = "p" + to;
        long t = System.nanoTime();
        String msg = switch (kind) {
            case 0 -> "{\"type\":\"offer\",\"target\":\"" + target + "\",\"offer\":{\"type\":\"offer\",\"sdp\":\"" + SDP + "\"},\"t\":" + t + "}";
            case 1 -> "{\"type\":\"answer\",\"target\":\"" + target + "\",\"answer\":{\"type\":\"answer\",\"sdp\":\"" + SDP + "\"},\"t\":" + t + "}";
            default -> "{\"type\":\"ice_candidate\",\"target\":\"" + target + "\",\"candidate\":{\"candidate\":"
                    + "\"candidate:842163049 1 udp 1677729535 192.0.2.7 54321 typ srflx raddr 10.0.0.2 rport 54321 generation 0\","
                    + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"t\":" + t + "}";
        };
        sent.incrementAndGet();
        ch.writeAndFlush(new TextWebSocketFrame(msg), ch.voidPromise());
    }

    private void connectAll() throws InterruptedException {
        Semaphore inFlight = new Semaphore(256); // handshakes at once
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        for (int i = 0; i < clients; i++) {
            inFlight.acquire();
            final int index = i;
            b.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                            new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                    .webSocketUri(uri).maxFramePayloadLength(1 << 20).build()),
                            new Client(index, inFlight));
                }
            }).connect(uri.getHost(), uri.getPort()).addListener(f -> {
                if (!f.isSuccess()) {
                    inFlight.release();
                    System.err.println("signaling-load: connect failed: " + f.cause());
                }
            });
        }
    }

    private final class Client extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final int index;
        private final Semaphore inFlight;
        private boolean released;

        Client(int index, Semaphore inFlight) {
            this.index = index;
            this.inFlight = inFlight;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                channels[index] = ctx.channel();
                ctx.writeAndFlush(new TextWebSocketFrame("{\"type\":\"join\",\"room_id\":\"room-" + (index / roomSize)
                        + "\",\"peer_id\":\"p" + (index % roomSize) + "\"}"));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            String s = frame.text();
            int t = s.lastIndexOf(",\"t\":");
            if (s.startsWith("{\"type\":\"room_peers\"")) {
                if (!released) {
                    released = true;
                    inFlight.release();
                    joined.countDown();
                }
            } else if (s.startsWith("{\"type\":\"error\"")) {
                errors.incrementAndGet();
                System.err.println("signaling-load: " + s);
            } else if (t > 0) {
                int end = t + 5;
                while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '-')) {
                    end++;
                }
                long sentAt = Long.parseLong(s, t + 5, end, 10);
                if (sentAt - measureFrom >= 0) {
                    latency.record(System.nanoTime() - sentAt);
                }
                received.incrementAndGet();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            System.err.println("signaling-load: client " + index + ": " + cause);
            ctx.close();
        }
    }

    /** Used heap of the server JVM from {@code jcmd PID GC.heap_info}, optionally after a full GC. */
    private static String heap(long pid, boolean afterGc) {
        try {
            if (afterGc) {
                jcmd(pid, "GC.run");
            }
            String info = jcmd(pid, "GC.heap_info");
            var m = java.util.regex.Pattern.compile("total (?:reserved )?(\\d+)K, (?:committed \\d+K, )?used (\\d+)K").matcher(info);
            if (m.find()) {
                return (Long.parseLong(m.group(2)) / 1024) + "MiB";
            }
            return "unparsed:" + info.lines().findFirst().orElse("");
        } catch (IOException | InterruptedException e) {
            return "error:" + e.getMessage();
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    /** utime + stime of a process in clock ticks (USER_HZ = 100 on Linux), from /proc/PID/stat. */
    private static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of proc(5)
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** stime alone: the kernel's share (loopback TCP, epoll, wakeups) of the server's CPU. */
    private static long systemTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return (Long.parseLong(line.replaceAll("\\D", "")) / 1024) + "MiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "n/a";
        }
        return "n/a";
    }

    /** A browser-sized SDP (about 2.5 KB) as a JSON string body. */
    private static String fakeSdp() {
        StringBuilder b = new StringBuilder("v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n");
        while (b.length() < 2500) {
            b.append("a=rtpmap:96 VP8/90000\\r\\na=rtcp-fb:96 goog-remb\\r\\na=rtcp-fb:96 transport-cc\\r\\n");
        }
        return b.toString();
    }
}
