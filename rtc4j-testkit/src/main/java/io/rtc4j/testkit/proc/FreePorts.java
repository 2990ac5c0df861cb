package io.rtc4j.testkit.proc;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Free ports on loopback for servers started by tests, and disjoint relay port ranges per server process.
 *
 * <p>A port is "free" when both a UDP and a TCP socket could bind it on 127.0.0.1 just now; the usual race
 * (someone else takes it before the server binds it) remains, so callers that can retry should. Ports handed
 * out are remembered for the life of the JVM so that two servers of one test run never get the same port or
 * overlapping relay ranges. That registry is the one piece of static state here, on purpose: it must span
 * every test class of a surefire fork.
 *
 * <p>Everything is chosen below the kernel's ephemeral range (32768-60999 by default on Linux), so that
 * short-lived client sockets of the tests themselves do not land in a server's relay range.
 */
public final class FreePorts {
    /** Lowest port handed out. */
    static final int LOW = 20_000;
    /** One past the highest port handed out: the default start of Linux's ephemeral range. */
    static final int HIGH = 32_768;

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final BitSet TAKEN = new BitSet(HIGH);
    private static int cursor = -1;

    private FreePorts() {}

    /** A port that is free for both UDP and TCP on loopback. */
    public static int udpAndTcp() {
        return block(1, 1);
    }

    /** Two consecutive free ports {@code p, p+1} (e.g. for Debian's {@code stun} client, which binds both). */
    public static int pair() {
        return block(2, 2);
    }

    /** {@code count} distinct free UDP+TCP ports. */
    public static List<Integer> udpAndTcp(int count) {
        List<Integer> ports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ports.add(udpAndTcp());
        }
        return ports;
    }

    /**
     * A range of {@code size} consecutive ports, all free now for UDP and TCP, disjoint from every range and
     * port handed out before in this JVM: give one to each TURN server as its relay range (min-port..max-port).
     */
    public static PortRange relayRange(int size) {
        if (size < 2 || size > 6_000) {
            throw new IllegalArgumentException("relay range size must be 2..6000: " + size);
        }
        // Aligned to even so that RTP/RTCP-style EVEN-PORT allocations find pairs inside the range.
        int first = block(size, 2);
        return new PortRange(first, first + size - 1);
    }

    /**
     * Finds {@code size} consecutive free ports starting at a multiple of {@code align}, marks them taken.
     * Starts from a per-JVM random point so that two test JVMs on one machine (parallel builds) rarely probe
     * the same ports; the bind check catches the rest.
     */
    private static synchronized int block(int size, int align) {
        int span = HIGH - LOW;
        if (cursor < 0) {
            cursor = LOW + (int) (ProcessHandle.current().pid() * 7919 % span);
        }
        int attempts = span / Math.max(1, size) + span;
        for (int i = 0; i < attempts; i++) {
            int start = cursor;
            if (start % align != 0) {
                start += align - start % align;
            }
            if (start + size > HIGH) {
                cursor = LOW;
                continue;
            }
            cursor = start + size;
            if (TAKEN.nextSetBit(start) >= 0 && TAKEN.nextSetBit(start) < start + size) {
                continue;
            }
            if (allBindable(start, size)) {
                TAKEN.set(start, start + size);
                return start;
            }
        }
        throw new IllegalStateException("no " + size + " free consecutive loopback ports in " + LOW + "-" + HIGH);
    }

    private static boolean allBindable(int start, int size) {
        for (int p = start; p < start + size; p++) {
            if (!bindable(p)) {
                return false;
            }
        }
        return true;
    }

    /** True if both UDP and TCP can bind {@code port} on 127.0.0.1 right now. */
    public static boolean bindable(int port) {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(false);
            tcp.bind(address);
            try (DatagramSocket udp = new DatagramSocket(null)) {
                udp.setReuseAddress(false);
                udp.bind(address);
                return true;
            }
        } catch (SocketException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** An inclusive port range, {@code min..max}. */
    public record PortRange(int min, int max) {
        public PortRange {
            if (min < 1 || max > 65_535 || min > max) {
                throw new IllegalArgumentException("bad port range " + min + ".." + max);
            }
        }

        public int size() {
            return max - min + 1;
        }

        public boolean contains(int port) {
            return port >= min && port <= max;
        }

        @Override
        public String toString() {
            return min + ".." + max;
        }
    }
}
