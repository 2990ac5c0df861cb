package io.rtc4j.bench.peer;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelState;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcSessionDescription;
import io.rtc4j.peer.RtcStats;
import io.rtc4j.testkit.proc.UdpCounters;
import java.net.InetAddress;
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

/**
 * rtc4j to rtc4j data channels over 127.0.0.1 (real UDP sockets, two connections in this process): time from
 * createOffer to the channel open at the offerer (trickle signaling in-process), and bulk throughput of binary
 * 64 KiB messages under bufferedAmount flow control (MB/s = bytes / 1e6 / seconds, until the last byte arrived).
 * Usage: PeerBench [--open-runs 20] [--bulk-runs 3] [--mib 256]. Markdown on stdout.
 */
public final class PeerBench {
    private static final int MESSAGE = 64 * 1024;
    private static final long HIGH = 4L << 20;
    private static final long LOW = 1L << 20;

    private PeerBench() {}

    public static void main(String[] args) throws Exception {
        int openRuns = 20;
        int bulkRuns = 3;
        long mib = 256;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--open-runs" -> openRuns = Integer.parseInt(args[i + 1]);
                case "--bulk-runs" -> bulkRuns = Integer.parseInt(args[i + 1]);
                case "--mib" -> mib = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        RtcConfiguration config = RtcConfiguration.builder().bindAddress(InetAddress.getByName("127.0.0.1")).ipv6(false).build();
        ExecutorService signaling = Executors.newSingleThreadExecutor();
        try {
            open(config, signaling); // warm-up
            List<Double> openMs = new ArrayList<>();
            for (int i = 0; i < openRuns; i++) {
                openMs.add(open(config, signaling));
                System.err.printf(Locale.ROOT, "open %d: %.1f ms%n", i, openMs.getLast());
            }
            List<Double> mbps = new ArrayList<>();
            for (int i = 0; i < bulkRuns; i++) {
                mbps.add(bulk(config, signaling, mib << 20));
                System.err.printf(Locale.ROOT, "bulk %d: %.1f MB/s%n", i, mbps.getLast());
            }
            System.out.println("| rtc4j to rtc4j, loopback | median | min | max |");
            System.out.println("|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| time to channel open (ms), %d runs | %.1f | %.1f | %.1f |%n", openRuns,
                    median(openMs), Collections.min(openMs), Collections.max(openMs));
            System.out.printf(Locale.ROOT, "| bulk %d MiB, 64 KiB messages (MB/s), %d runs | %.1f | %.1f | %.1f |%n", mib,
                    bulkRuns, median(mbps), Collections.min(mbps), Collections.max(mbps));
        } finally {
            signaling.shutdownNow();
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    /** Offer/answer with trickle through the signaling thread (handlers only post to it). */
    private static void connect(RtcPeerConnection a, RtcPeerConnection b, ExecutorService signaling) {
        a.onIceCandidate(c -> signaling.execute(() -> b.addIceCandidate(c)));
        b.onIceCandidate(c -> signaling.execute(() -> a.addIceCandidate(c)));
        RtcSessionDescription offer = a.createOffer();
        signaling.execute(() -> {
            a.setLocalDescription(offer);
            b.setRemoteDescription(offer);
            RtcSessionDescription answer = b.createAnswer();
            b.setLocalDescription(answer);
            a.setRemoteDescription(answer);
        });
    }

    private static double open(RtcConfiguration config, ExecutorService signaling) throws Exception {
        try (RtcPeerConnection a = RtcPeerConnection.create(config); RtcPeerConnection b = RtcPeerConnection.create(config)) {
            CountDownLatch opened = new CountDownLatch(1);
            RtcDataChannel ch = a.createDataChannel("open");
            ch.onOpen(opened::countDown);
            long start = System.nanoTime();
            StringBuilder phases = new StringBuilder();
            if (Boolean.getBoolean("peerbench.verbose")) {
                a.onIceConnectionStateChange(st -> phases.append(String.format(Locale.ROOT, " ice-%s@%.1f", st, (System.nanoTime() - start) / 1e6)));
                a.onConnectionStateChange(st -> phases.append(String.format(Locale.ROOT, " pc-%s@%.1f", st, (System.nanoTime() - start) / 1e6)));
                a.onIceGatheringStateChange(st -> phases.append(String.format(Locale.ROOT, " gather-%s@%.1f", st, (System.nanoTime() - start) / 1e6)));
                ch.onOpen(() -> {
                    opened.countDown();
                    System.err.println("  phases:" + phases + String.format(Locale.ROOT, " open@%.1f", (System.nanoTime() - start) / 1e6));
                });
            }
            connect(a, b, signaling);
            if (!opened.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no open within 20 s: " + a.connectionState() + " " + a.failureReason());
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static double bulk(RtcConfiguration config, ExecutorService signaling, long total) throws Exception {
        try (RtcPeerConnection a = RtcPeerConnection.create(config); RtcPeerConnection b = RtcPeerConnection.create(config)) {
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
            ch.setBufferedAmountLowThreshold(LOW);
            CountDownLatch opened = new CountDownLatch(1);
            ch.onOpen(opened::countDown);
            connect(a, b, signaling);
            if (!opened.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no open within 20 s");
            }
            byte[] msg = new byte[MESSAGE];
            long start = System.nanoTime();
            for (long sent = 0; sent < total; sent += MESSAGE) {
                low.drainPermits();
                if (ch.bufferedAmount() > HIGH && !low.tryAcquire(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("no bufferedamountlow within 30 s");
                }
                if (ch.readyState() != RtcDataChannelState.OPEN) {
                    throw new IllegalStateException("channel " + ch.readyState());
                }
                ch.send(msg);
            }
            if (!done.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + received.get() + " of " + total + " bytes arrived");
            }
            double mbps = total / 1e6 / ((System.nanoTime() - start) / 1e9);
            if (Boolean.getBoolean("peerbench.verbose")) {
                RtcStats sa = a.getStats(), sb = b.getStats();
                System.err.printf(Locale.ROOT, "  a sent %d dgrams, b received %d, b dropped %d; b sent %d, a received %d, a dropped %d; udp %s%n",
                        sa.datagramsSent(), sb.datagramsReceived(), sb.datagramsDropped(), sb.datagramsSent(),
                        sa.datagramsReceived(), sa.datagramsDropped(), UdpCounters.read());
            }
            return mbps;
        }
    }
}
