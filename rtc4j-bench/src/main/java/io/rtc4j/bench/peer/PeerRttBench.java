package io.rtc4j.bench.peer;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelState;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcStats;
import io.rtc4j.testkit.proc.UdpCounters;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * rtc4j to rtc4j data-channel bulk throughput over a long path: two {@code RtcPeerConnection}s in this process on
 * 127.0.0.1, every datagram (ICE checks included) through a {@link DelayRelay} that adds RTT/2 each way and
 * optionally a bottleneck and random loss. Each run: a fresh relay, a ping self-check through it (the median must
 * be within 5 ms of the RTT asked for), then a connection whose candidates are rewritten to the relay's addresses,
 * then {@code --mib} MiB of 64 KiB binary messages under bufferedAmount flow control, as in PeerBench
 * (MB/s = bytes / 1e6 / seconds until the last byte arrived). One unscored warm-up run first. Markdown on stdout.
 * Usage: PeerRttBench [--rtt-ms 100] [--rate-mbit 0] [--loss 0] [--mib 64] [--warmup-mib MIB] [--runs 3] [--queue-kib BDP]
 * [--seed 1] [--timeout-s 300] [--high-mib 4] [--timeline] [--open-only]
 * [--drop-handshake T] (drop each side's first epoch-0 DTLS handshake message of type T, e.g. 15 CertificateVerify). --high-mib: the bufferedAmount the sender tops up to
 * (the low threshold is a quarter of it).
 */
public final class PeerRttBench {
    private static final int MESSAGE = 64 * 1024;
    /** SctpConfig's default receive window (a_rwnd), which caps the data in flight. */
    static final long RWND = 8L << 20;
    private static final int SLOTS = 32_768;
    private static final long BUCKET_NANOS = 10_000_000L;
    private static final int PINGS = 10;

    private PeerRttBench() {}

    record Options(int rttMs, double rateMbit, double loss, long mib, long warmupMib, int runs, long queueKib, long seed,
            int timeoutS, boolean timeline, long highMib, boolean openOnly, int dropHandshake) {
        Options {
            if (rttMs < 0 || rateMbit < 0 || mib < 1 || warmupMib < 1 || runs < 1 || queueKib < 0 || timeoutS < 1
                    || highMib < 1) {
                throw new IllegalArgumentException("bad options");
            }
        }

        static Options parse(String[] args) {
            int rtt = 100, runs = 3, timeout = 300;
            double rate = 0, loss = 0;
            long mib = 64, warmup = -1, queue = -1, seed = 1, high = 4;
            int dropHandshake = -1;
            boolean timeline = false, openOnly = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--timeline") || a.equals("--open-only")) {
                    timeline |= a.equals("--timeline");
                    openOnly |= a.equals("--open-only");
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--rtt-ms" -> rtt = Integer.parseInt(v);
                    case "--rate-mbit" -> rate = Double.parseDouble(v);
                    case "--loss" -> loss = Double.parseDouble(v);
                    case "--mib" -> mib = Long.parseLong(v);
                    case "--warmup-mib" -> warmup = Long.parseLong(v);
                    case "--high-mib" -> high = Long.parseLong(v);
                    case "--drop-handshake" -> dropHandshake = Integer.parseInt(v);
                    case "--runs" -> runs = Integer.parseInt(v);
                    case "--queue-kib" -> queue = Long.parseLong(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--timeout-s" -> timeout = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (queue < 0) { // one bandwidth-delay product, at least 256 KiB
                queue = Math.max(256, (long) (rate * 1e6 / 8 * rtt / 1000 / 1024));
            }
            return new Options(rtt, rate, loss, mib, warmup < 0 ? mib : warmup, runs, queue, seed, timeout, timeline, high, openOnly,
                    dropHandshake);
        }

        /** One direction of the path; the two directions draw their losses from different seeds. */
        LinkShape shape(long seedOffset) {
            long rate = (long) (rateMbit * 1e6);
            int burst = rate == 0 ? 0 : (int) Math.max(2048, rate / 8 / 1000); // 1 ms at the rate
            return new LinkShape(rttMs * 1_000_000L / 2, rate, burst, rate == 0 ? 0 : queueKib * 1024, loss,
                    seed + seedOffset);
        }
    }

    /**
     * @param socketDrops kernel receive-buffer drops of the relay's P1 and P2 and of A's and B's sockets
     *     (/proc/net/udp; the host-wide RcvbufErrors also count other processes' sockets)
     */
    record Run(double mbps, double openMs, double pingMs, double srttMs, DelayRelay.Stats relay, UdpCounters udp,
            String pair, long[] timelineAB, long[] timelineBA, long[] socketDrops) {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        RtcConfiguration config = RtcConfiguration.builder().bindAddress(InetAddress.getByName("127.0.0.1")).ipv6(false).build();
        ExecutorService signaling = Executors.newSingleThreadExecutor();
        try {
            List<Run> runs = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            try {
                Run warm = run(o, config, signaling, 0, o.warmupMib());
                System.err.printf(Locale.ROOT, "warm-up: %.3f MB/s, open %.0f ms%n", warm.mbps(), warm.openMs());
            } catch (IllegalStateException e) { // unscored, but a failure is still a finding
                failures.add("warm-up: " + e.getMessage());
                System.err.println("warm-up failed: " + e.getMessage());
            }
            for (int i = 1; i <= o.runs(); i++) {
                Run r;
                try {
                    r = run(o, config, signaling, i, o.mib());
                } catch (IllegalStateException e) { // a run that failed is a finding: report it, go on
                    failures.add("run " + i + ": " + e.getMessage());
                    System.err.println("run " + i + " failed: " + e.getMessage());
                    continue;
                }
                runs.add(r);
                System.err.printf(Locale.ROOT, "run %d: %.3f MB/s, open %.0f ms, ping %.1f ms, srtt %.1f ms, %s, udp %s, "
                        + "socket drops P1 P2 A B %s, load %.1f%n", i, r.mbps(), r.openMs(), r.pingMs(), r.srttMs(),
                        r.relay(), r.udp(), java.util.Arrays.toString(r.socketDrops()),
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
            if (!runs.isEmpty()) {
                print(o, runs);
            }
            if (!failures.isEmpty()) {
                System.out.printf("%nFailed (of %d runs and the warm-up): %s%n", o.runs(), String.join("; ", failures));
            }
        } finally {
            signaling.shutdownNow();
        }
    }

    private static Run run(Options o, RtcConfiguration config, ExecutorService signaling, int index, long mib)
            throws Exception {
        int buckets = (int) (o.timeoutS() * 1_000_000_000L / BUCKET_NANOS) + 1;
        try (DelayRelay relay = new DelayRelay(o.shape(2L * index), o.shape(2L * index + 1), SLOTS, buckets, BUCKET_NANOS)) {
            double ping = selfCheck(relay, o);
            relay.clearEndpoints(); // the peers' sockets become the endpoints (from signaling or their first datagram)
            if (o.dropHandshake() >= 0 && index > 0) { // the warm-up stays clean
                relay.dropNextDtlsHandshake(true, o.dropHandshake());
                relay.dropNextDtlsHandshake(false, o.dropHandshake());
            }
            DelayRelay.Stats before = relay.stats();
            UdpCounters udp = UdpCounters.read();
            try (RtcPeerConnection a = RtcPeerConnection.create(config); RtcPeerConnection b = RtcPeerConnection.create(config)) {
                long total = mib << 20;
                AtomicLong received = new AtomicLong();
                CountDownLatch done = new CountDownLatch(1);
                b.onDataChannel(c -> c.onMessage(m -> {
                    if (received.addAndGet(m.data().length) == total) {
                        done.countDown();
                    }
                }));
                RtcDataChannel ch = a.createDataChannel("bulk");
                Semaphore low = new Semaphore(0);
                ch.onBufferedAmountLow(low::release);
                long high = o.highMib() << 20; // the app tops the queue up to high once it fell to high/4 (PeerBench: 4 MiB)
                ch.setBufferedAmountLowThreshold(high / 4);
                CountDownLatch opened = new CountDownLatch(1);
                ch.onOpen(opened::countDown);
                long start = System.nanoTime();
                new RelayedSignaling(relay, signaling).connect(a, b);
                if (!opened.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no open within 30 s: a " + describe(a) + "; b " + describe(b)
                            + "; relay " + relay.stats().minus(before) + "\n" + relay.trace(start));
                }
                double openMs = (System.nanoTime() - start) / 1e6;
                String pair = checkPath(a, relay.addressForA()) + " / " + checkPath(b, relay.addressForB());
                if (o.openOnly()) {
                    return new Run(Double.NaN, openMs, ping, Double.NaN, relay.stats().minus(before),
                            UdpCounters.read().minus(udp), pair, new long[0], new long[0], new long[4]);
                }
                relay.restartTimeline();
                byte[] msg = new byte[MESSAGE];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutS());
                start = System.nanoTime();
                for (long sent = 0; sent < total; sent += MESSAGE) {
                    low.drainPermits();
                    long left = deadline - System.nanoTime();
                    if (ch.bufferedAmount() > high && !low.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                        throw new IllegalStateException("no bufferedamountlow before the timeout; sent " + sent);
                    }
                    if (ch.readyState() != RtcDataChannelState.OPEN) {
                        throw new IllegalStateException("channel " + ch.readyState());
                    }
                    ch.send(msg);
                }
                if (!done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("only " + received.get() + " of " + total + " bytes within "
                            + o.timeoutS() + " s");
                }
                double mbps = total / 1e6 / ((System.nanoTime() - start) / 1e9);
                RtcStats sa = a.getStats();
                if (relay.stats().aToB().foreign() + relay.stats().bToA().foreign() > 0) {
                    System.err.println("foreign sources: " + relay.lastForeignSources() + "; endpoints " + pair);
                }
                double srtt = sa.roundTripTime().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
                long[] drops = {UdpCounters.socketDrops(relay.addressForA().getPort()),
                        UdpCounters.socketDrops(relay.addressForB().getPort()), UdpCounters.socketDrops(localPort(sa)),
                        UdpCounters.socketDrops(localPort(b.getStats()))};
                return new Run(mbps, openMs, ping, srtt, relay.stats().minus(before), UdpCounters.read().minus(udp),
                        pair, relay.timeline(true), relay.timeline(false), drops);
            }
        }
    }

    private static String describe(RtcPeerConnection pc) {
        RtcStats s = pc.getStats();
        return pc.connectionState() + "/" + pc.iceConnectionState() + " " + pc.failureReason() + " dtls datagrams sent "
                + s.datagramsSent() + " received " + s.datagramsReceived() + " dropped " + s.datagramsDropped()
                + " pair " + s.selectedPair().map(p -> p.localAddress() + "->" + p.remoteAddress()).orElse("none");
    }

    private static int localPort(RtcStats s) {
        return s.selectedPair().map(p -> p.localAddress().getPort()).orElse(0);
    }

    /** The median ping RTT through the relay; fails unless it is within 5 ms of the RTT asked for. */
    static double selfCheck(DelayRelay relay, Options o) throws IOException {
        List<Double> rtts = RelayPing.roundTripsMs(relay, PINGS, Duration.ofMillis(o.rttMs() + 1000L));
        if (rtts.size() < PINGS / 2) {
            throw new IllegalStateException("relay self-check: only " + rtts.size() + " of " + PINGS + " pings came back");
        }
        double median = median(rtts);
        if (Math.abs(median - o.rttMs()) > 5) {
            throw new IllegalStateException(String.format(Locale.ROOT,
                    "relay self-check: ping RTT %.2f ms, asked for %d ms", median, o.rttMs()));
        }
        return median;
    }

    /** The selected pair's remote address must be the relay's, or the run did not cross the emulated path. */
    private static String checkPath(RtcPeerConnection pc, InetSocketAddress relayAddress) {
        InetSocketAddress remote = pc.getStats().selectedPair().orElseThrow(() -> new IllegalStateException("no pair"))
                .remoteAddress();
        if (!remote.equals(relayAddress)) {
            throw new IllegalStateException("selected pair bypasses the relay: " + remote + " instead of " + relayAddress);
        }
        return "local " + pc.getStats().selectedPair().get().localAddress() + " remote " + remote;
    }

    private static void print(Options o, List<Run> runs) {
        double rtt = o.rttMs() / 1000.0;
        String rate = o.rateMbit() == 0 ? "unlimited" : fmt("%.0f Mbit/s (queue %d KiB)", o.rateMbit(), o.queueKib());
        System.out.printf(Locale.ROOT, "| rtc4j to rtc4j via DelayRelay: RTT %d ms, rate %s, loss %.2f%% | median | min | max |%n",
                o.rttMs(), rate, o.loss() * 100);
        System.out.println("|---|--:|--:|--:|");
        row(fmt("bulk %d MiB, 64 KiB messages (MB/s), %d runs", o.mib(), runs.size()), runs, Run::mbps);
        row("time from createOffer to channel open (ms)", runs, Run::openMs);
        row("ping RTT through the relay, self-check (ms)", runs, Run::pingMs);
        row("SCTP smoothed RTT at the sender after the transfer (ms)", runs, Run::srttMs);
        row("relay a->b datagrams forwarded", runs, r -> r.relay().aToB().forwarded());
        row("relay b->a datagrams forwarded (SACKs)", runs, r -> r.relay().bToA().forwarded());
        row("a->b datagrams per b->a datagram", runs,
                r -> (double) r.relay().aToB().forwarded() / Math.max(1, r.relay().bToA().forwarded()));
        row("relay drops a->b: emulated loss", runs, r -> r.relay().aToB().lost());
        row("relay drops a->b: bottleneck queue full", runs, r -> r.relay().aToB().queueDropped());
        row("relay drops b->a: emulated loss + queue", runs, r -> r.relay().bToA().lost() + r.relay().bToA().queueDropped());
        row("relay's own drops (ring full, oversize, I/O), both ways", runs,
                r -> r.relay().aToB().relayDrops() + r.relay().bToA().relayDrops());
        row("kernel drops at relay P1 + P2 (socket buffers)", runs, r -> r.socketDrops()[0] + r.socketDrops()[1]);
        row("kernel drops at A's + B's sockets (socket buffers)", runs, r -> r.socketDrops()[2] + r.socketDrops()[3]);
        row("host RcvbufErrors during the run (all processes)", runs, r -> r.udp().rcvbufErrors());
        row("most datagrams held a->b", runs, r -> r.relay().aToB().maxOccupancy());
        double cap = RWND / rtt / 1e6;
        System.out.printf(Locale.ROOT, "%nCap from the receive window: rwnd/RTT = 8 MiB / %d ms = %.1f MB/s", o.rttMs(), cap);
        if (o.rateMbit() > 0) {
            System.out.printf(Locale.ROOT, "; bottleneck %.1f MB/s of UDP payload", o.rateMbit() / 8);
        }
        if (o.loss() > 0) { // Mathis et al.: a Reno-style sender gets about MSS/RTT * 1.22/sqrt(p)
            System.out.printf(Locale.ROOT, "; Reno loss bound MSS/RTT*1.22/sqrt(p) = %.2f MB/s (MSS 1172 B)",
                    1172 / rtt * 1.22 / Math.sqrt(o.loss()) / 1e6);
        }
        System.out.println(".");
        System.out.println("Path checked: " + runs.getFirst().pair());
        if (o.timeline()) {
            printTimeline(o, runs.get(runs.size() / 2));
        }
    }

    /** MB/s forwarded a->b and datagrams b->a in each RTT-long slice of the run (the wire's view of cwnd). */
    private static void printTimeline(Options o, Run r) {
        int per = (int) Math.max(1, o.rttMs() * 1_000_000L / BUCKET_NANOS);
        System.out.printf(Locale.ROOT, "%nTimeline of the median run, per %d ms (a->b MB/s of UDP payload; a->b KiB):%n", o.rttMs());
        StringBuilder b = new StringBuilder();
        int last = r.timelineAB().length - 1;
        while (last > 0 && r.timelineAB()[last] == 0) {
            last--;
        }
        for (int i = 0, slice = 0; i <= last; i += per, slice++) {
            long bytes = 0;
            for (int j = i; j < i + per && j < r.timelineAB().length; j++) {
                bytes += r.timelineAB()[j];
            }
            b.append(fmt("%d:%.1f(%d) ", slice, bytes / (per * BUCKET_NANOS / 1e9) / 1e6, bytes >> 10));
        }
        System.out.println(b.toString().trim());
    }

    private static void row(String name, List<Run> runs, ToDoubleFunction<Run> f) {
        List<Double> v = runs.stream().map(f::applyAsDouble).toList();
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", name, num(median(v)), num(Collections.min(v)),
                num(Collections.max(v)));
    }

    private static String num(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return fmt(Math.abs(d) < 10 ? "%.3f" : "%.1f", d); // a lossy path's 0.1 MB/s needs the digits
    }

    private static String fmt(String f, Object... a) {
        return String.format(Locale.ROOT, f, a);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }
}
