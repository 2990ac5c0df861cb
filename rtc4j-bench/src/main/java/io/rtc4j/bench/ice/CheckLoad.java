package io.rtc4j.bench.ice;

import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.ice.net.IceUdpDriver;
import io.rtc4j.stun.IceControlling;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Priority;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Connectivity checks answered per second by one agent: a real {@link IceUdpDriver} (one thread, so one core
 * at most) answers Binding requests carrying USERNAME and a valid MESSAGE-INTEGRITY (RFC 8445 §7.3) from a
 * closed-loop generator on the caller's thread: a few sockets with a window of requests in flight each,
 * drawn from a pool of pre-encoded checks so the generator spends no HMAC per request. The driver thread's
 * CPU time gives the cost per check.
 */
final class CheckLoad {
    private static final int POOL = 8192;
    private static final long LOSS_TIMEOUT_NANOS = 20_000_000;
    private static final int BINDING_SUCCESS = MessageType.BINDING_SUCCESS.encode();

    record Result(long answered, double seconds, double driverCpuSeconds, long agentDrops) {
        double perSecond() {
            return answered / seconds;
        }

        double cpuMicrosPerCheck() {
            return driverCpuSeconds * 1e6 / answered;
        }
    }

    private CheckLoad() {}

    static Result run(InetAddress host, int sockets, int window, double warmupSeconds, double measureSeconds) throws IOException {
        SplittableRandom random = new SplittableRandom(42);
        IceCredentials generator = IceCredentials.random(random);
        try (IceUdpDriver victim = IceUdpDriver.start(IceUdpConfig.builder(IceRole.CONTROLLED).hostAddress(host).build(), e -> {});
                Selector selector = Selector.open()) {
            victim.setRemoteCredentials(generator);
            InetSocketAddress target = victim.hostAddresses().getFirst();
            IceCredentials v = victim.localCredentials();
            byte[] key = v.pwd().getBytes(StandardCharsets.UTF_8);
            byte[][] pool = new byte[POOL][];
            for (int i = 0; i < POOL; i++) {
                pool[i] = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(random))
                                .add(new Username(v.ufrag() + ":" + generator.ufrag()))
                                .add(new Priority(0x6E0001FF))
                                .add(new IceControlling(random.nextLong()))
                                .build(),
                        StunProtection.integrity(key).withFingerprint());
            }
            long driverThread = threadId("rtc4j-ice-udp" + target);
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            List<DatagramChannel> channels = new ArrayList<>();
            try {
                for (int i = 0; i < sockets; i++) {
                    DatagramChannel ch = DatagramChannel.open();
                    ch.bind(new InetSocketAddress(host, 0));
                    ch.configureBlocking(false);
                    ch.register(selector, SelectionKey.OP_READ, new long[] {System.nanoTime()});
                    channels.add(ch);
                }
                Loop loop = new Loop(selector, channels, target, pool, window);
                loop.drive((long) (warmupSeconds * 1e9));
                long cpu0 = mx.getThreadCpuTime(driverThread);
                long drops0 = victim.stats().droppedByAgent();
                long t0 = System.nanoTime();
                long answered = loop.drive((long) (measureSeconds * 1e9));
                double seconds = (System.nanoTime() - t0) / 1e9;
                double cpu = (mx.getThreadCpuTime(driverThread) - cpu0) / 1e9;
                return new Result(answered, seconds, cpu, victim.stats().droppedByAgent() - drops0);
            } finally {
                for (DatagramChannel ch : channels) {
                    ch.close();
                }
            }
        }
    }

    private static long threadId(String name) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no driver thread " + name)).threadId();
    }

    /** The closed loop: every success answer sends the next check on its socket; silent windows are refilled. */
    private static final class Loop {
        private final Selector selector;
        private final List<DatagramChannel> channels;
        private final InetSocketAddress target;
        private final byte[][] pool;
        private final int window;
        private final ByteBuffer in = ByteBuffer.allocateDirect(2048);
        private int next;

        Loop(Selector selector, List<DatagramChannel> channels, InetSocketAddress target, byte[][] pool, int window) {
            this.selector = selector;
            this.channels = channels;
            this.target = target;
            this.pool = pool;
            this.window = window;
        }

        long drive(long nanos) throws IOException {
            for (DatagramChannel ch : channels) {
                fill(ch);
            }
            long end = System.nanoTime() + nanos;
            long answered = 0;
            while (System.nanoTime() < end) {
                selector.select(5);
                for (SelectionKey k : selector.selectedKeys()) {
                    DatagramChannel ch = (DatagramChannel) k.channel();
                    long[] lastAnswer = (long[]) k.attachment();
                    for (int i = 0; i < 256; i++) {
                        in.clear();
                        if (ch.receive(in) == null) {
                            break;
                        }
                        in.flip();
                        if (in.remaining() >= 20 && (in.getShort(0) & 0xFFFF) == BINDING_SUCCESS) {
                            answered++;
                            lastAnswer[0] = System.nanoTime();
                            sendOne(ch);
                        } // the agent's own triggered checks towards us are ignored
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                for (SelectionKey k : selector.keys()) {
                    long[] lastAnswer = (long[]) k.attachment();
                    if (now - lastAnswer[0] > LOSS_TIMEOUT_NANOS) {
                        lastAnswer[0] = now;
                        fill((DatagramChannel) k.channel());
                    }
                }
            }
            return answered;
        }

        private void fill(DatagramChannel ch) throws IOException {
            for (int i = 0; i < window; i++) {
                sendOne(ch);
            }
        }

        private void sendOne(DatagramChannel ch) throws IOException {
            ch.send(ByteBuffer.wrap(pool[next]), target);
            next = (next + 1) % pool.length;
        }
    }
}
