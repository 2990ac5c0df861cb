package io.rtc4j.ice.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** One TCP connection on a real event loop against a loopback server that never reads. */
class TurnStreamConnectionTest {
    static final InetAddress LO = InetAddress.getLoopbackAddress();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final int QUEUE = 64 * 1024;

    @Test
    void aServerThatNeverReadsFillsTheBoundedQueueThenFramesAreDroppedWholeAndAResetEndsIt() throws Exception {
        DriverCounters counters = new DriverCounters();
        UdpEventLoop loop = new UdpEventLoop("turn-stream-test", InstantSource.system(), 2048, 64, counters);
        List<String> ended = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 1, LO)) { // never accepts: the kernel's backlog holds us
            InetSocketAddress server = (InetSocketAddress) silent.getLocalSocketAddress();
            TurnStreamConnection c = TurnStreamConnection.open(LO, server, null, null, WAIT, QUEUE, counters);
            assertThat(c.local().getAddress()).isEqualTo(LO);
            c.attach(loop, new TurnStreamConnection.Listener() {
                @Override
                public void received(java.time.Instant now, ByteBuffer data) {}

                @Override
                public void ended(java.time.Instant now, String reason) {
                    ended.add(reason);
                }
            });
            loop.start();
            TestPeer.await("connected", WAIT, () -> onLoop(loop, c::isOpen));

            // writes go to the socket until the kernel's buffers are full, then to the queue, then are refused
            int written = onLoop(loop, () -> {
                ByteBuffer frame = ByteBuffer.allocate(1000);
                int n = 0;
                while (n < 200_000 && c.write(loop.now(), frame.duplicate())) {
                    n++;
                }
                return n;
            });
            assertThat(written).isGreaterThan(QUEUE / 1000).isLessThan(200_000); // bounded, and the socket took some
            assertThat(counters.sendFailures.sum()).isEqualTo(1);
            assertThat(onLoop(loop, () -> c.write(loop.now(), ByteBuffer.allocate(1000)))).isFalse(); // still full
            assertThat(ended).isEmpty();

            silent.close(); // the kernel resets the connection it held in the backlog
            TestPeer.await("the end of the connection", WAIT, () -> !ended.isEmpty());
            assertThat(ended).hasSize(1);
            assertThat(c.endReason()).isEqualTo(ended.getFirst());
            assertThat(onLoop(loop, () -> c.write(loop.now(), ByteBuffer.allocate(10)))).isFalse();
            assertThat(counters.listenerErrors.sum()).isZero();
        } finally {
            loop.close();
        }
        assertThat(loop.threadAlive()).isFalse();
    }

    @Test
    void aConnectThatNeverCompletesTimesOut() throws Exception {
        DriverCounters counters = new DriverCounters();
        UdpEventLoop loop = new UdpEventLoop("turn-stream-test", InstantSource.system(), 2048, 64, counters);
        List<String> ended = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 1, LO)) {
            // TLS to a server that accepts TCP but never speaks: only the connect timeout can end it
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getDefault();
            TurnStreamConnection c = TurnStreamConnection.open(LO, (InetSocketAddress) silent.getLocalSocketAddress(), tls,
                    "127.0.0.1", Duration.ofSeconds(1), QUEUE, counters);
            c.attach(loop, new TurnStreamConnection.Listener() {
                @Override
                public void received(java.time.Instant now, ByteBuffer data) {}

                @Override
                public void ended(java.time.Instant now, String reason) {
                    ended.add(reason);
                }
            });
            assertThat(c.write(loop.now(), ByteBuffer.allocate(100))).isTrue(); // queued until the handshake is done
            loop.start();
            TestPeer.await("the handshake timeout", WAIT, () -> !ended.isEmpty());
            assertThat(ended).containsExactly("TLS handshake timed out");
            assertThat(onLoop(loop, c::isOpen)).isFalse();
        } finally {
            loop.close();
        }
    }

    static <T> T onLoop(UdpEventLoop loop, Supplier<T> call) {
        CompletableFuture<T> f = new CompletableFuture<>();
        assertThat(loop.execute(() -> f.complete(call.get()))).isTrue();
        try {
            return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
