package io.rtc4j.turn.net;

import io.rtc4j.turn.NonceService;
import io.rtc4j.turn.PeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.RelayReservations;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.TurnAuthenticator;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.TurnServerContext;
import io.rtc4j.turn.TurnServerEngine;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TURN/STUN server over real sockets: N event loops, each owning one {@link TurnServerEngine}, one
 * SO_REUSEPORT UDP socket per listening address (the kernel spreads clients over the loops by 5-tuple, so a
 * client always reaches the engine holding its allocation), its relay sockets and its share of TCP/TLS
 * connections. Policies, nonces and metrics are shared.
 */
public final class TurnServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TurnServer.class);

    private final List<EventLoop> loops;
    private final List<Thread> threads = new ArrayList<>();
    private final List<InetSocketAddress> udp = new ArrayList<>();
    private final List<InetSocketAddress> tcp = new ArrayList<>();
    private final List<InetSocketAddress> tlsAddresses = new ArrayList<>();
    private final TurnMetrics metrics;
    private boolean closed;

    private TurnServer(List<EventLoop> loops, TurnMetrics metrics) {
        this.loops = loops;
        this.metrics = metrics;
    }

    /** Binds every socket, then starts the loops; fails without leaving anything open. */
    public static TurnServer start(
            TurnServerSettings s,
            TurnServerConfig config,
            TurnAuthenticator authenticator,
            PeerAddressPolicy peers,
            QuotaPolicy quotas,
            SSLContext tls,
            TurnMetrics metrics)
            throws IOException {
        SecureRandom seed = new SecureRandom();
        byte[] nonceKey = new byte[32];
        seed.nextBytes(nonceKey);
        NonceService nonces = new NonceService(nonceKey);
        InstantSource clock = InstantSource.system();
        PortPool pool4 = s.relay4() == null ? null : new PortPool(s.minPort(), s.maxPort(), new SplittableRandom(seed.nextLong()));
        PortPool pool6 = s.relay6() == null ? null : new PortPool(s.minPort(), s.maxPort(), new SplittableRandom(seed.nextLong()));
        var ra4 = pool4 == null ? null : new NioRelayAllocator.RelayAddress(
                s.relay4(), s.external4() == null ? s.relay4() : s.external4(), pool4);
        var ra6 = pool6 == null ? null : new NioRelayAllocator.RelayAddress(s.relay6(), s.relay6(), pool6);

        RelayReservations reservations = new RelayReservations(); // shared: RTP/RTCP pairs span loops
        List<EventLoop> loops = new ArrayList<>();
        TurnServer server = new TurnServer(loops, metrics);
        try {
            for (int i = 0; i < s.threads(); i++) {
                EventLoop loop = new EventLoop(clock);
                var relays = new NioRelayAllocator(loop.selector, ra4, ra6, s.socketBuffer());
                loop.setEngine(new TurnServerEngine(new TurnServerContext(
                        config, authenticator, nonces, peers, quotas, relays, new SplittableRandom(seed.nextLong()), metrics,
                        reservations)));
                loops.add(loop);
            }
            for (InetAddress address : s.listenAddresses()) {
                server.bindUdp(address, s.port(), s.socketBuffer());
                server.bindStream(address, server.udp.getLast().getPort(), TransportProtocol.TCP, null);
                if (s.tlsPort() > 0 && tls != null) {
                    server.bindStream(address, s.tlsPort(), TransportProtocol.TLS, tls);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (EventLoop loop : loops) {
                loop.selector.keys().forEach(k -> EventLoop.closeQuietly(k.channel()));
                EventLoop.closeQuietly(loop.selector);
            }
            throw e;
        }
        for (int i = 0; i < loops.size(); i++) {
            Thread t = new Thread(loops.get(i), "turn-loop-" + i);
            t.start();
            server.threads.add(t);
        }
        log.info("event=turn_started udp=\"{}\" tcp=\"{}\" tls=\"{}\" relay4={} relay6={} ports={}-{} threads={}",
                server.udp, server.tcp, server.tlsAddresses, s.relay4(), s.relay6(), s.minPort(), s.maxPort(), s.threads());
        return server;
    }

    private void bindUdp(InetAddress address, int port, int buffer) throws IOException {
        int actual = port;
        for (EventLoop loop : loops) {
            DatagramChannel ch = DatagramChannel.open(
                    address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
            try {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                ch.setOption(StandardSocketOptions.SO_RCVBUF, buffer);
                ch.setOption(StandardSocketOptions.SO_SNDBUF, buffer);
                ch.bind(new InetSocketAddress(address, actual));
            } catch (IOException e) {
                ch.close();
                throw new IOException("cannot bind UDP " + address.getHostAddress() + ":" + actual + ": " + e.getMessage(), e);
            }
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            actual = local.getPort(); // port 0: the first socket picks, the others share it
            loop.addUdpListener(ch, local);
        }
        udp.add(new InetSocketAddress(address, actual));
    }

    private void bindStream(InetAddress address, int port, TransportProtocol transport, SSLContext tls) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(
                address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(address, port), 1024);
            ch.configureBlocking(false);
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot bind " + transport + " " + address.getHostAddress() + ":" + port + ": " + e.getMessage(), e);
        }
        EventLoop first = loops.getFirst();
        ch.register(first.selector, SelectionKey.OP_ACCEPT, new Acceptor(ch, transport, loops, tls));
        InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
        (transport == TransportProtocol.TLS ? tlsAddresses : tcp).add(local);
    }

    public List<InetSocketAddress> udpAddresses() {
        return List.copyOf(udp);
    }

    public List<InetSocketAddress> tcpAddresses() {
        return List.copyOf(tcp);
    }

    public List<InetSocketAddress> tlsAddresses() {
        return List.copyOf(tlsAddresses);
    }

    public TurnMetrics metrics() {
        return metrics;
    }

    /** Graceful shutdown: every loop deletes its allocations (releasing ports and quotas) and closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EventLoop loop : loops) {
            try {
                if (!loop.stop(Duration.ofSeconds(5))) {
                    log.warn("event=loop_stop_timeout");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("event=turn_stopped");
    }
}
