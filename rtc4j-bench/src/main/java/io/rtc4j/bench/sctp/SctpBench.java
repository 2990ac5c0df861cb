package io.rtc4j.bench.sctp;

import io.rtc4j.sctp.SctpAssociation;
import io.rtc4j.sctp.SctpConfig;
import io.rtc4j.sctp.SctpEvent;
import io.rtc4j.sctp.SctpOutput;
import io.rtc4j.sctp.SctpSendOptions;
import io.rtc4j.testkit.net.SimHost;
import io.rtc4j.testkit.net.SimLinkConditions;
import io.rtc4j.testkit.net.SimNetwork;
import io.rtc4j.testkit.net.SimSocket;
import io.rtc4j.testkit.net.SimTimer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * SCTP bulk throughput on the virtual network: one association pair, a bottleneck with a BDP-sized queue, goodput
 * in VIRTUAL time at several RTTs (what the congestion control and windows achieve, independent of this machine),
 * and the real CPU time this process spent per MiB delivered (both endpoints plus the simulator).
 * Usage: SctpBench [--rate-mbit 100] [--seconds 10] [--rtts 0,50,100,200]
 */
public final class SctpBench {
    private SctpBench() {}

    /** One association on a virtual host; drains its output after every input. */
    static final class Peer implements SimTimer {
        final SctpAssociation sctp;
        final SimSocket socket;
        final SimNetwork net;
        InetSocketAddress remote;
        Instant deadline = Instant.MAX;
        long delivered;
        final byte[] chunk = new byte[64 * 1024];
        boolean sender;

        Peer(SimNetwork net, SimHost host, SctpConfig config, long seed) {
            this.net = net;
            this.sctp = new SctpAssociation(config, new SplittableRandom(seed));
            this.socket = host.bind(5000);
            socket.onReceive(d -> {
                sctp.handleInput(net.now(), d.data());
                drain();
            });
            net.addTimer(this);
        }

        void drain() {
            while (true) {
                SctpOutput o = sctp.pollOutput();
                switch (o) {
                    case SctpOutput.Transmit t -> socket.send(remote, t.packet());
                    case SctpOutput.Timeout t -> {
                        deadline = t.deadline();
                        return;
                    }
                    case SctpEvent.MessageReceived m -> delivered += m.data().length;
                    case SctpEvent.AssociationEstablished e -> {
                        if (sender) {
                            sctp.setBufferedAmountLowThreshold(0, 4 << 20);
                            refill();
                        }
                    }
                    case SctpEvent.BufferedAmountLow b -> refill();
                    case SctpEvent e -> {}
                }
            }
        }

        void refill() {
            while (sctp.bufferedAmount(0) < 8 << 20) {
                sctp.send(net.now(), 0, 53, chunk, SctpSendOptions.RELIABLE_ORDERED);
            }
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public void fire(Instant now) {
            sctp.handleTimeout(now);
            drain();
        }
    }

    record Result(int rttMs, double mbitPerSecond, double steadyMbit, double cpuMsPerMiB, long cwndEnd) {}

    static Result run(int rttMs, long rateBytesPerSecond, Duration length, long seed) {
        SimNetwork net = new SimNetwork(seed);
        net.setMaxStepsPerRun(Integer.MAX_VALUE);
        SctpConfig config = SctpConfig.builder().remoteMaxMessageSize(256 * 1024).build();
        SimHost ha = net.internet().addHost("a", "10.0.0.1");
        SimHost hb = net.internet().addHost("b", "10.0.0.2");
        Peer a = new Peer(net, ha, config, 1);
        Peer b = new Peer(net, hb, config, 2);
        a.remote = b.socket.localAddress();
        b.remote = a.socket.localAddress();
        a.sender = true;
        SimLinkConditions delay = SimLinkConditions.delay(Duration.ofNanos(rttMs * 1_000_000L / 4));
        long bdp = rateBytesPerSecond * rttMs / 1000;
        ha.setUplink(delay.toBuilder().rateLimit(rateBytesPerSecond, (int) Math.max(bdp, 256 * 1024)).build());
        ha.setDownlink(delay);
        hb.setUplink(delay);
        hb.setDownlink(delay);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        a.sctp.connect(net.now());
        a.drain();
        b.sctp.connect(net.now());
        b.drain();
        Instant start = net.now();
        Duration half = length.dividedBy(2);
        net.runFor(half);
        long mid = b.delivered;
        net.runFor(length.minus(half));
        long cpu = mx.getCurrentThreadCpuTime() - cpu0;
        double secs = Duration.between(start, net.now()).toNanos() / 1e9;
        double mib = b.delivered / 1048576.0;
        return new Result(rttMs, b.delivered * 8 / secs / 1e6, (b.delivered - mid) * 8 / (half.toNanos() / 1e9) / 1e6,
                cpu / 1e6 / mib, a.sctp.congestionWindow());
    }

    public static void main(String[] args) {
        long rateMbit = 100;
        int seconds = 10;
        String rtts = "0,50,100,200";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate-mbit" -> rateMbit = Long.parseLong(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--rtts" -> rtts = args[++i];
                default -> {
                    System.err.println("usage: SctpBench [--rate-mbit N] [--seconds S] [--rtts 0,50,100,200]");
                    System.exit(2);
                }
            }
        }
        // Warm up the JIT so the CPU figure is for compiled code.
        run(10, rateMbit * 1_000_000 / 8, Duration.ofSeconds(3), 99);
        System.out.printf(Locale.ROOT, "| RTT | bottleneck | goodput over %d s (Mbit/s) | goodput, second half (Mbit/s) "
                + "| of link rate | CPU ms per MiB | cwnd at end |%n", seconds);
        System.out.println("|--:|--:|--:|--:|--:|--:|--:|");
        for (String r : rtts.split(",")) {
            Result x = run(Integer.parseInt(r.trim()), rateMbit * 1_000_000 / 8, Duration.ofSeconds(seconds), 7);
            System.out.printf(Locale.ROOT, "| %d ms | %d Mbit/s | %.1f | %.1f | %.0f%% | %.2f | %d KiB |%n", x.rttMs(),
                    rateMbit, x.mbitPerSecond(), x.steadyMbit(), 100 * x.steadyMbit() / rateMbit, x.cpuMsPerMiB(),
                    x.cwndEnd() / 1024);
        }
    }
}
