package io.rtc4j.testkit.proc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Readiness checks for servers started by tests: each is one bounded loop of short attempts, and each
 * fails fast when the server process has already died. Only ever aimed at loopback addresses.
 *
 * <p>The STUN Binding request is built here byte by byte (RFC 8489 §5, §6: type 0x0001, length 0, magic
 * cookie, 96-bit transaction id) because the testkit sits below rtc4j-stun.
 */
public final class Probes {
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final Duration ATTEMPT = Duration.ofMillis(200);

    private Probes() {}

    /**
     * Sends STUN Binding requests over UDP to {@code server} until an answer with the same transaction id
     * arrives (a success or an error response: either means the server reads and answers STUN).
     *
     * @param alive polled between attempts; when it turns false the probe stops early
     * @return true if answered within {@code timeout}
     */
    public static boolean stunBindingAnswered(InetSocketAddress server, Duration timeout, BooleanSupplier alive) {
        requireLoopback(server);
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] txId = new byte[12];
        new SecureRandom().nextBytes(txId);
        ByteBuffer request = ByteBuffer.allocate(20)
                .putShort((short) 0x0001)
                .putShort((short) 0)
                .putInt(MAGIC_COOKIE);
        request.put(txId).flip();
        ByteBuffer response = ByteBuffer.allocate(2048);
        try (DatagramChannel channel = DatagramChannel.open();
                Selector selector = Selector.open()) {
            channel.bind(new InetSocketAddress(server.getAddress(), 0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            while (System.nanoTime() < deadline && alive.getAsBoolean()) {
                channel.send(request.duplicate(), server);
                long left = Math.min(ATTEMPT.toNanos(), deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                long attemptEnd = System.nanoTime() + left;
                while (System.nanoTime() < attemptEnd) {
                    long ms = Math.max(1, (attemptEnd - System.nanoTime()) / 1_000_000);
                    if (selector.select(ms) == 0) {
                        continue;
                    }
                    selector.selectedKeys().clear();
                    response.clear();
                    // ICMP port unreachable surfaces here as an exception on a connected channel only;
                    // unconnected, an unanswered request simply times out.
                    while (channel.receive(response) != null) {
                        response.flip();
                        if (isAnswerTo(response, txId)) {
                            return true;
                        }
                        response.clear();
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isAnswerTo(ByteBuffer msg, byte[] txId) {
        if (msg.remaining() < 20) {
            return false;
        }
        int type = msg.getShort(0) & 0xFFFF;
        // Class bits (RFC 8489 §5): 0x0100 success response, 0x0110 error response, for method Binding.
        boolean response = type == 0x0101 || type == 0x0111;
        byte[] got = new byte[12];
        msg.get(8, got);
        return response && msg.getInt(4) == MAGIC_COOKIE && Arrays.equals(got, txId);
    }

    /** Tries TCP connects to {@code server} until one succeeds (and closes it at once). */
    public static boolean tcpAccepting(InetSocketAddress server, Duration timeout, BooleanSupplier alive) {
        requireLoopback(server);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            try (Socket s = new Socket()) {
                s.connect(server, (int) ATTEMPT.toMillis());
                return true;
            } catch (SocketTimeoutException e) {
                // next attempt
            } catch (IOException e) {
                // Refused: not listening yet. Wait one attempt period on the clock, bounded by the deadline.
                pause(Math.min(ATTEMPT.toNanos() / 4, Math.max(0, deadline - System.nanoTime())));
            }
        }
        return false;
    }

    /**
     * Sends a datagram to a UDP echo server (turnutils_peer) until the same bytes come back.
     */
    public static boolean udpEchoed(InetSocketAddress server, Duration timeout, BooleanSupplier alive) {
        requireLoopback(server);
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] probe = "rtc4j-echo-probe".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocate(2048);
        try (DatagramChannel channel = DatagramChannel.open();
                Selector selector = Selector.open()) {
            channel.bind(new InetSocketAddress(server.getAddress(), 0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            while (System.nanoTime() < deadline && alive.getAsBoolean()) {
                channel.send(ByteBuffer.wrap(probe), server);
                long ms = Math.max(1, Math.min(ATTEMPT.toMillis(), (deadline - System.nanoTime()) / 1_000_000));
                if (selector.select(ms) > 0) {
                    selector.selectedKeys().clear();
                    in.clear();
                    while (channel.receive(in) != null) {
                        in.flip();
                        byte[] got = new byte[in.remaining()];
                        in.get(got);
                        if (Arrays.equals(got, probe)) {
                            return true;
                        }
                        in.clear();
                    }
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    static void requireLoopback(InetSocketAddress address) {
        if (address.getAddress() == null || !address.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("tests only send to loopback, not " + address);
        }
    }

    private static void pause(long nanos) {
        if (nanos <= 0) {
            return;
        }
        // A bounded back-off between connection attempts, not a wait for a condition.
        LockSupport.parkNanos(nanos);
    }
}
