package io.rtc4j.bench.peer;

import io.rtc4j.testkit.proc.UdpCounters;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Can {@link DelayRelay} carry the bulk rate without loss of its own? A paced sender offers 1,200-byte datagrams
 * at {@code --mbyte-s} MB/s from endpoint A through the relay (RTT/2 of delay each way) to endpoint B, which
 * counts them. Reports the offered and delivered rates, the relay's counters and the host's RcvbufErrors delta
 * (any kernel drop on the path: sender, relay or receiver sockets). Loopback only; bounded by --seconds.
 * Usage: RelayCapacity [--mbyte-s 150] [--seconds 3] [--rtt-ms 100]. Markdown on stdout.
 */
public final class RelayCapacity {
    private static final int SIZE = 1200;

    private RelayCapacity() {}

    public static void main(String[] args) throws Exception {
        double rate = 150;
        double seconds = 3;
        int rttMs = 100;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--mbyte-s" -> rate = Double.parseDouble(args[i + 1]);
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--rtt-ms" -> rttMs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        LinkShape shape = LinkShape.delay(rttMs * 1_000_000L / 2);
        try (DelayRelay relay = new DelayRelay(shape, shape, 32_768, 1, 1_000_000_000L);
                DatagramChannel a = open(loopback); DatagramChannel b = open(loopback)) {
            relay.endpointA((InetSocketAddress) a.getLocalAddress());
            relay.endpointB((InetSocketAddress) b.getLocalAddress());
            AtomicLong received = new AtomicLong();
            long total = (long) (rate * 1e6 * seconds / SIZE);
            Thread receiver = Thread.ofPlatform().name("relay-capacity receiver").start(() -> receive(b, received, total));
            UdpCounters before = UdpCounters.read();
            long cpuBefore = relayCpuNanos();
            long start = System.nanoTime();
            long sent = send(a, relay.addressForA(), rate, total);
            double sendSeconds = (System.nanoTime() - start) / 1e9;
            receiver.join(TimeUnit.SECONDS.toMillis((long) seconds + 5 + rttMs / 1000));
            long dropsP1 = UdpCounters.socketDrops(relay.addressForA().getPort());
            long dropsB = UdpCounters.socketDrops(((InetSocketAddress) b.getLocalAddress()).getPort());
            b.close(); // ends a receiver still waiting for datagrams that were dropped
            receiver.join(1000);
            UdpCounters udp = UdpCounters.read().minus(before);
            long cpu = relayCpuNanos() - cpuBefore;
            DelayRelay.DirectionStats s = relay.stats().aToB();
            System.out.println("| relay capacity, 1,200-byte datagrams, RTT " + rttMs + " ms | value |");
            System.out.println("|---|--:|");
            System.out.printf(Locale.ROOT, "| offered (MB/s of UDP payload) | %.1f |%n", sent * (double) SIZE / 1e6 / sendSeconds);
            System.out.printf(Locale.ROOT, "| datagrams sent / delivered | %d / %d |%n", sent, received.get());
            System.out.printf(Locale.ROOT, "| relay accepted / forwarded | %d / %d |%n", s.accepted(), s.forwarded());
            System.out.printf(Locale.ROOT, "| relay's own drops (ring, oversize, I/O) | %d |%n", s.relayDrops());
            System.out.printf(Locale.ROOT, "| most datagrams held | %d |%n", s.maxOccupancy());
            System.out.printf(Locale.ROOT, "| host RcvbufErrors / SndbufErrors delta | %d / %d |%n", udp.rcvbufErrors(),
                    udp.sndbufErrors());
            System.out.printf(Locale.ROOT, "| kernel drops at relay P1 / at receiver B (socket receive buffers) | %d / %d |%n",
                    dropsP1, dropsB);
            System.out.printf(Locale.ROOT, "| relay threads' CPU per forwarded datagram, a->b (us) | %.2f |%n",
                    cpu / 1e3 / Math.max(1, s.forwarded()));
            System.out.printf(Locale.ROOT, "| load average (1 min) | %.2f |%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** CPU time of the relay's a->b threads (receiver and sender), from their names. */
    private static long relayCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("delay-relay a->b")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }

    private static DatagramChannel open(InetAddress loopback) throws IOException {
        DatagramChannel c = DatagramChannel.open(java.net.StandardProtocolFamily.INET);
        c.setOption(StandardSocketOptions.SO_RCVBUF, DelayRelay.SOCKET_BUFFER);
        c.setOption(StandardSocketOptions.SO_SNDBUF, DelayRelay.SOCKET_BUFFER);
        c.bind(new InetSocketAddress(loopback, 0));
        return c;
    }

    /** Paced in 1 ms rounds; returns the datagrams sent. */
    private static long send(DatagramChannel a, InetSocketAddress to, double mbyteS, long total) throws IOException {
        ByteBuffer d = ByteBuffer.allocateDirect(SIZE);
        long perMs = Math.max(1, (long) (mbyteS * 1e6 / SIZE / 1000));
        long start = System.nanoTime();
        long sent = 0;
        for (long round = 0; sent < total; round++) {
            long due = start + round * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            for (long i = 0; i < perMs && sent < total; i++, sent++) {
                d.clear();
                a.send(d, to);
            }
        }
        return sent;
    }

    private static void receive(DatagramChannel b, AtomicLong received, long total) {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        try {
            while (received.get() < total) {
                in.clear();
                b.receive(in);
                received.incrementAndGet();
            }
        } catch (IOException e) {
            // closed by main once the bound passed: the count so far is the result
        }
    }
}
