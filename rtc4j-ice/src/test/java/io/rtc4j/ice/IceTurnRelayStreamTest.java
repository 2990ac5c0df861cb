package io.rtc4j.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtc4j.testkit.proc.CoturnServer;
import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.SelfSignedCertificate;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.net.TurnServer;
import io.rtc4j.turn.net.TurnServerSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link IceTurnRelay} over REAL TCP and TLS connections on loopback, against rtc4j's TURN server in-process
 * and coturn as a process: allocate, permission, channel binding and data both ways with a UDP peer socket on
 * 127.0.0.1. The TLS client verifies the server's self-signed certificate (SAN 127.0.0.1). The driver is a thin
 * blocking one: reader threads put socket input on a queue; the test thread owns the relay, waits on the queue
 * up to the relay's next deadline, and gives up after a bound. Nothing sleeps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IceTurnRelayStreamTest {
    static final String USER = "alice";
    static final String PASSWORD = "alice-secret";
    static final String REALM = "rtc4j.test";
    static final Duration BOUND = Duration.ofSeconds(20);
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    static final char[] STORE_PASSWORD = "changeit".toCharArray();

    SSLContext clientTls;
    TurnServer rtc4j;
    CoturnServer coturn;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir.resolve("tls"));
        KeyStore store = keyStore(cert);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, STORE_PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        FreePorts.PortRange relays = FreePorts.relayRange(50);
        rtc4j = TurnServer.start(
                new TurnServerSettings(List.of(LOOPBACK), FreePorts.udpAndTcp(), FreePorts.udpAndTcp(), LOOPBACK, null, null,
                        relays.min(), relays.max(), 1, 1 << 20),
                TurnServerConfig.defaults(REALM), new StaticUserAuthenticator(Map.of(USER, PASSWORD)),
                DefaultPeerAddressPolicy.builder().allow("127.0.0.1").build(), QuotaPolicy.unlimited(), serverTls,
                new TurnMetrics());
        if (CoturnServer.isInstalled()) {
            coturn = CoturnServer.builder().realm(REALM).user(USER, PASSWORD).allowedPeerIp("127.0.0.1").tls(cert).start();
            coturn.awaitTcpListeners(BOUND);
        }
    }

    @AfterAll
    void stop() {
        if (rtc4j != null) {
            rtc4j.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    static Stream<Arguments> servers() {
        return Stream.of(Arguments.of("rtc4j", TransportProtocol.TCP), Arguments.of("rtc4j", TransportProtocol.TLS),
                Arguments.of("coturn", TransportProtocol.TCP), Arguments.of("coturn", TransportProtocol.TLS));
    }

    InetSocketAddress serverAddress(String server, TransportProtocol t) {
        if (server.equals("rtc4j")) {
            return t == TransportProtocol.TLS ? rtc4j.tlsAddresses().getFirst() : rtc4j.tcpAddresses().getFirst();
        }
        assumeTrue(coturn != null, "coturn's turnserver is not installed");
        return t == TransportProtocol.TLS
                ? new InetSocketAddress(coturn.options().listeningAddress(), coturn.tlsListeningPort().orElseThrow())
                : coturn.listeningAddress();
    }

    Socket connect(InetSocketAddress server, TransportProtocol t) throws IOException {
        if (t == TransportProtocol.TCP) {
            Socket s = new Socket();
            s.connect(server, (int) BOUND.toMillis());
            s.setTcpNoDelay(true);
            return s;
        }
        SSLSocket s = (SSLSocket) clientTls.getSocketFactory().createSocket();
        SSLParameters p = s.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name 127.0.0.1
        s.setSSLParameters(p);
        s.connect(server, (int) BOUND.toMillis());
        s.setSoTimeout((int) BOUND.toMillis());
        s.startHandshake();
        s.setSoTimeout(0);
        return s;
    }

    @ParameterizedTest(name = "{0} over {1}")
    @MethodSource("servers")
    void relaysOverAStream(String server, TransportProtocol transport) throws Exception {
        InetSocketAddress address = serverAddress(server, transport);
        try (Socket socket = connect(address, transport);
                DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
                Driver d = new Driver(socket, peer, transport)) {
            InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
            d.relay.start(d.now());
            assertThat(d.await(() -> d.gathered != null || d.failed != null)).isTrue();
            assertThat(d.failed).isNull();
            IceCandidate relayed = d.gathered.candidate().candidate();
            assertThat(relayed.type()).isEqualTo(CandidateType.RELAYED);
            assertThat(relayed.transport()).isEqualTo(IceTransport.UDP); // the relay is UDP whatever the client uses
            assertThat(relayed.socketAddress().orElseThrow().getAddress()).isEqualTo(LOOPBACK);
            assertThat(relayed.relatedAddress()).isEqualTo("127.0.0.1");
            assertThat(relayed.relatedPort()).isEqualTo(socket.getLocalPort()); // mapped: the connection's source
            assertThat(relayed.priority() >> 8 & 0xFFFF).isEqualTo(transport == TransportProtocol.TCP ? 32767 : 16383);
            InetSocketAddress relayedAddress = relayed.socketAddress().orElseThrow();

            // first datagrams may die before the permission is installed (RFC 8656 §10.2), as ICE checks may
            for (int i = 0; d.peerReceived.isEmpty(); i++) {
                assertThat(i).as("the peer never heard from the relay").isLessThan(100);
                d.relay.send(d.now(), peerAddress, text("hello " + i));
                d.drain();
                d.await(() -> !d.peerReceived.isEmpty(), Duration.ofMillis(100));
            }
            assertThat(d.peerSources).allMatch(relayedAddress::equals);
            // the relay binds a channel once the permission exists; from then on data goes as ChannelData
            d.relay.send(d.now(), peerAddress, text("binds the channel"));
            d.drain();
            assertThat(d.await(() -> d.relay.client().boundChannel(peerAddress) != -1)).isTrue();
            int channelDataBefore = d.channelDataWritten;
            for (int i = 0; i < 20; i++) {
                String out = "to peer " + "x".repeat(i); // odd and even lengths: ChannelData is padded on streams
                String back = "from peer " + "y".repeat(i);
                d.relay.send(d.now(), peerAddress, text(out));
                d.drain();
                byte[] b = back.getBytes(StandardCharsets.UTF_8);
                peer.send(new DatagramPacket(b, b.length, relayedAddress));
                assertThat(d.await(() -> d.peerReceived.contains(out) && d.received.contains(back))).as("round %d", i).isTrue();
            }
            assertThat(d.channelDataWritten - channelDataBefore).as("ChannelData once bound").isGreaterThanOrEqualTo(20);
            assertThat(d.relay.client().droppedTotal()).isZero();

            socket.close(); // the driver reports the end of the stream; the allocation is gone with it
            assertThat(d.await(() -> d.failed != null)).isTrue();
            assertThat(d.failed.reason()).contains("CONNECTION_CLOSED");
        }
    }

    static ByteBuffer text(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static KeyStore keyStore(SelfSignedCertificate c) throws IOException, GeneralSecurityException {
        Certificate cert;
        try (InputStream in = Files.newInputStream(c.certificate())) {
            cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String pem = Files.readString(c.privateKey()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("turn", key, STORE_PASSWORD, new Certificate[] {cert});
        store.setCertificateEntry("trusted", cert);
        return store;
    }

    /** The relay's blocking driver: the only code touching the sockets besides the test's peer sends. */
    final class Driver implements AutoCloseable {
        record Chunk(byte[] data) {}

        record PeerDatagram(byte[] data, InetSocketAddress source) {}

        record Closed() {}

        final IceTurnRelay relay;
        final Socket socket;
        final DatagramSocket peer;
        final InetSocketAddress base;
        final InetSocketAddress server;
        final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        final List<Thread> readers = new ArrayList<>();
        final List<String> peerReceived = new ArrayList<>();
        final List<InetSocketAddress> peerSources = new ArrayList<>();
        final List<String> received = new ArrayList<>();
        IceTurnRelay.Output.CandidateGathered gathered;
        IceTurnRelay.Output.Failed failed;
        int channelDataWritten;
        boolean closed;
        Instant deadline = Instant.MAX;

        Driver(Socket socket, DatagramSocket peer, TransportProtocol transport) {
            this.socket = socket;
            this.peer = peer;
            this.base = (InetSocketAddress) socket.getLocalSocketAddress();
            this.server = (InetSocketAddress) socket.getRemoteSocketAddress();
            this.relay = new IceTurnRelay(base, server, TurnClientConfig.builder(USER, PASSWORD).transport(transport).build(),
                    1, "7", new SecureRandom());
            readers.add(Thread.ofVirtual().name("turn-stream-reader").start(() -> {
                byte[] buf = new byte[16_384];
                try {
                    InputStream in = socket.getInputStream();
                    for (int n; (n = in.read(buf)) >= 0; ) {
                        inbox.add(new Chunk(java.util.Arrays.copyOf(buf, n)));
                    }
                } catch (IOException e) {
                    // closed: reported below like an end of stream
                }
                inbox.add(new Closed());
            }));
            readers.add(Thread.ofVirtual().name("udp-peer-reader").start(() -> {
                byte[] buf = new byte[2048];
                while (!peer.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        peer.receive(p);
                        inbox.add(new PeerDatagram(java.util.Arrays.copyOf(p.getData(), p.getLength()),
                                (InetSocketAddress) p.getSocketAddress()));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            }));
        }

        final InstantSource clock = InstantSource.system(); // the driver holds the clock; the relay is given time

        Instant now() {
            return clock.instant();
        }

        boolean await(BooleanSupplier condition) throws InterruptedException {
            return await(condition, BOUND);
        }

        /** Drives the relay until {@code condition} holds or {@code bound} passed; false on timeout. */
        boolean await(BooleanSupplier condition, Duration bound) throws InterruptedException {
            drain();
            Instant giveUp = now().plus(bound);
            while (!condition.getAsBoolean()) {
                Instant now = now();
                if (!now.isBefore(giveUp)) {
                    return false;
                }
                if (!deadline.isAfter(now)) {
                    relay.handleTimeout(now);
                    drain();
                    continue;
                }
                Instant wake = deadline.isBefore(giveUp) ? deadline : giveUp;
                Object o = inbox.poll(Math.max(1, Duration.between(now, wake).toMillis()), TimeUnit.MILLISECONDS);
                switch (o) {
                    case null -> {}
                    case Chunk c -> relay.handleInput(now(), base, server, ByteBuffer.wrap(c.data()));
                    case PeerDatagram p -> {
                        peerReceived.add(new String(p.data(), StandardCharsets.UTF_8));
                        peerSources.add(p.source());
                    }
                    case Closed c -> {
                        if (!closed) {
                            closed = true;
                            relay.streamClosed(now());
                        }
                    }
                    default -> throw new AssertionError(o);
                }
                drain();
            }
            return true;
        }

        void drain() {
            for (int i = 0; i < 10_000; i++) {
                switch (relay.pollOutput()) {
                    case IceTurnRelay.Output.Transmit t -> write(t.data());
                    case IceTurnRelay.Output.CandidateGathered g -> gathered = g;
                    case IceTurnRelay.Output.Received r -> {
                        byte[] b = new byte[r.data().remaining()];
                        r.data().get(b);
                        received.add(new String(b, StandardCharsets.UTF_8));
                    }
                    case IceTurnRelay.Output.Failed f -> failed = f;
                    case IceTurnRelay.Output.Timeout t -> {
                        deadline = t.at();
                        return;
                    }
                }
            }
            throw new AssertionError("relay never returned Timeout");
        }

        private void write(ByteBuffer data) {
            if (socket.isClosed()) {
                return;
            }
            if ((data.get(data.position()) & 0xF0) == 0x40) {
                channelDataWritten++;
            }
            try {
                socket.getOutputStream().write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            } catch (IOException e) {
                inbox.add(new Closed());
            }
        }

        @Override
        public void close() throws IOException, InterruptedException {
            socket.close();
            peer.close(); // ends both readers
            for (Thread t : readers) {
                t.join(BOUND.toMillis());
            }
        }
    }
}
