package io.rtc4j.turn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtc4j.testkit.proc.CoturnServer;
import io.rtc4j.turn.TransportProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link TurnClient} against coturn's {@code turnserver} on loopback, over a real socket: allocate with the
 * credential dance, permission, data through Send/Data indications, a channel and ChannelData, release. The
 * peer is a UDP echo socket on 127.0.0.1. The drivers here are deliberately thin and blocking: they wait on
 * the socket with a timeout derived from the client's deadline, never sleep, and give up after a bound.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TurnClientCoturnTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-secret";
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private CoturnServer coturn;
    private DatagramSocket echo;
    private final Set<InetSocketAddress> echoSources = ConcurrentHashMap.newKeySet();

    @BeforeAll
    void start() throws IOException {
        assumeTrue(CoturnServer.isInstalled(), "coturn's turnserver is not installed");
        echo = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
        Thread.ofVirtual().name("udp-echo").start(this::echoLoop);
        coturn = CoturnServer.builder().realm("rtc4j.test").user(USER, PASSWORD).allowedPeerIp("127.0.0.1").start();
    }

    @AfterAll
    void stop() {
        if (coturn != null) {
            coturn.close();
        }
        if (echo != null) {
            echo.close(); // ends the echo loop
        }
    }

    private void echoLoop() {
        byte[] buf = new byte[65_536];
        while (!echo.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                echo.receive(p);
                echoSources.add((InetSocketAddress) p.getSocketAddress());
                echo.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress()));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    @Test
    void udp() throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            InetSocketAddress server = coturn.listeningAddress();
            Wire wire = new Wire() {
                final byte[] buf = new byte[65_536];

                @Override
                public void send(ByteBuffer b) throws IOException {
                    socket.send(new DatagramPacket(b.array(), b.arrayOffset() + b.position(), b.remaining(), server));
                }

                @Override
                public ByteBuffer receive(int timeoutMillis) throws IOException {
                    socket.setSoTimeout(timeoutMillis);
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        return null;
                    }
                    return ByteBuffer.wrap(p.getData(), 0, p.getLength());
                }
            };
            Driver d = new Driver(TurnClientConfig.builder(USER, PASSWORD).software("rtc4j-client").build(), wire);
            scenario(d, (InetSocketAddress) socket.getLocalSocketAddress());
        }
    }

    @Test
    void tcp() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(coturn.listeningAddress(), (int) BOUND.toMillis());
            InputStream in = socket.getInputStream();
            Wire wire = new Wire() {
                final byte[] buf = new byte[16_384];

                @Override
                public void send(ByteBuffer b) throws IOException {
                    socket.getOutputStream().write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                }

                @Override
                public ByteBuffer receive(int timeoutMillis) throws IOException {
                    socket.setSoTimeout(timeoutMillis);
                    try {
                        int n = in.read(buf);
                        if (n < 0) {
                            throw new SocketException("coturn closed the connection");
                        }
                        return ByteBuffer.wrap(buf, 0, n); // any chunk: the client reassembles
                    } catch (SocketTimeoutException e) {
                        return null;
                    }
                }
            };
            Driver d = new Driver(TurnClientConfig.builder(USER, PASSWORD).transport(TransportProtocol.TCP).build(), wire);
            scenario(d, (InetSocketAddress) socket.getLocalSocketAddress());
        }
    }

    private void scenario(Driver d, InetSocketAddress local) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) echo.getLocalSocketAddress();

        d.client.allocate(d.now());
        TurnClientEvent.TurnAllocated a = d.await(TurnClientEvent.TurnAllocated.class, e -> true);
        InetSocketAddress relayed = a.relayed().get(0);
        assertThat(relayed.getAddress()).isEqualTo(LOOPBACK);
        assertThat(relayed.getPort()).isBetween(coturn.relayPorts().min(), coturn.relayPorts().max());
        assertThat(a.mapped()).isEqualTo(local);

        d.client.createPermission(d.now(), peer.getAddress());
        d.await(TurnClientEvent.TurnPermissionCreated.class, e -> true);
        d.client.send(d.now(), peer, text("through a Send indication"));
        d.await(TurnClientEvent.TurnDataReceived.class, e -> e.peer().equals(peer)
                && string(e.data()).equals("through a Send indication"));

        int channel = d.client.bindChannel(d.now(), peer);
        d.await(TurnClientEvent.TurnChannelBound.class, e -> e.channel() == channel);
        for (int i = 0; i < 20; i++) {
            String s = "channel data " + "x".repeat(i); // odd and even lengths: TCP pads ChannelData
            d.client.send(d.now(), peer, text(s));
            d.await(TurnClientEvent.TurnDataReceived.class, e -> string(e.data()).equals(s));
        }
        assertThat(d.channelDataSent).as("ChannelData once bound").isEqualTo(20);
        assertThat(echoSources).as("the peer saw the relayed address").contains(relayed);

        d.client.release(d.now());
        d.await(TurnClientEvent.TurnAllocationEnded.class, e -> e.reason() == TurnClientEvent.EndReason.RELEASED);
        assertThat(d.events).noneMatch(TurnClientEvent.TurnRequestFailed.class::isInstance);
        assertThat(d.client.dropped(TurnClientDrop.INTEGRITY)).isZero();
        assertThat(d.client.dropped(TurnClientDrop.MALFORMED)).isZero();
    }

    private static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** The socket, as the driver sees it. */
    interface Wire {
        void send(ByteBuffer data) throws IOException;

        /** Bytes from the server, or null after {@code timeoutMillis} without any. */
        ByteBuffer receive(int timeoutMillis) throws IOException;
    }

    /** A blocking driver: feeds the client wall-clock time and socket input, sends what it asks. */
    static final class Driver {
        final TurnClient client;
        final Wire wire;
        final InstantSource clock = InstantSource.system();
        final List<TurnClientEvent> events = new ArrayList<>();
        int channelDataSent;
        private Instant deadline = Instant.MAX;
        private int checked; // events already offered to a wait

        Driver(TurnClientConfig config, Wire wire) {
            this.client = new TurnClient(config, new SecureRandom());
            this.wire = wire;
        }

        Instant now() {
            return clock.instant();
        }

        /** Waits (bounded) for an event of {@code kind} matching {@code condition}, driving the client meanwhile. */
        <T extends TurnClientEvent> T await(Class<T> kind, Predicate<T> condition) throws IOException {
            drain();
            Instant giveUp = now().plus(BOUND);
            while (true) {
                for (; checked < events.size(); checked++) {
                    TurnClientEvent e = events.get(checked);
                    if (kind.isInstance(e) && condition.test(kind.cast(e))) {
                        checked++;
                        return kind.cast(e);
                    }
                }
                Instant now = now();
                assertThat(now).as("waiting for %s; events so far %s", kind.getSimpleName(), events).isBefore(giveUp);
                if (!deadline.isAfter(now)) {
                    client.handleTimeout(now);
                    drain();
                    continue;
                }
                Instant wake = deadline.isBefore(giveUp) ? deadline : giveUp;
                long wait = Math.max(1, Duration.between(now, wake).toMillis());
                ByteBuffer in = wire.receive((int) Math.min(wait, Integer.MAX_VALUE));
                if (in != null) {
                    client.handleInput(now(), in);
                    drain();
                }
            }
        }

        private void drain() {
            while (true) {
                switch (client.pollOutput()) {
                    case TurnClientOutput.Transmit t -> {
                        if ((t.data().get(t.data().position()) & 0xC0) == 0x40) {
                            channelDataSent++;
                        }
                        try {
                            wire.send(t.data());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    case TurnClientOutput.Timeout t -> {
                        deadline = t.at();
                        return;
                    }
                    case TurnClientEvent.TurnDataReceived r -> events.add(new TurnClientEvent.TurnDataReceived(
                            r.peer(), ByteBuffer.wrap(copy(r.data())).asReadOnlyBuffer()));
                    case TurnClientEvent e -> events.add(e);
                }
            }
        }

        private static byte[] copy(ByteBuffer b) {
            byte[] a = new byte[b.remaining()];
            b.duplicate().get(a);
            return a;
        }
    }
}
