package io.rtc4j.ice.net;

import io.rtc4j.ice.IceAgentConfig;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.client.TurnClientConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;

/**
 * Settings of an {@link IceUdpDriver}, validated once. Build with {@link #builder(IceRole)}.
 *
 * @param agent the ICE agent's settings (role, pacing, timeouts)
 * @param credentials our ice-ufrag/ice-pwd, or null for fresh random ones
 * @param hostAddresses bind exactly these addresses (one socket each), earlier ones preferred; empty: every
 *     usable interface address, IPv6 first
 * @param includeLoopback also gather loopback addresses (they are used anyway when nothing else exists)
 * @param ipv6 gather IPv6 addresses too
 * @param hostFilter which interface addresses to use (after the built-in rules: up, not a virtual
 *     sub-interface, not IPv6 link-local)
 * @param port the port every host socket binds, 0 for ephemeral ports
 * @param stunServers STUN servers for server-reflexive candidates (RFC 8445 §5.1.1.1)
 * @param turnServers TURN servers for relayed candidates, over UDP, TCP or TLS
 * @param relayOnly signal and check only relayed candidates (like RTCIceTransportPolicy "relay")
 * @param component the ICE component id (1: RTP, or everything when bundled with rtcp-mux)
 * @param maxDatagramSize longer datagrams are dropped and counted
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF asked for every socket; 4 MiB by default, so a burst of a
 *     full SCTP window (thousands of datagrams) waits in the kernel instead of being dropped while the driver
 *     thread is descheduled. Linux caps the request at net.core.rmem_max / wmem_max.
 * @param sendQueueCapacity relayed application datagrams queued from other threads, at most
 * @param clock the driver's only time source
 * @param random credentials, transaction ids and tie-breakers; must be a secure generator outside tests
 */
public record IceUdpConfig(
        IceAgentConfig agent,
        IceCredentials credentials,
        List<InetAddress> hostAddresses,
        boolean includeLoopback,
        boolean ipv6,
        HostFilter hostFilter,
        int port,
        List<InetSocketAddress> stunServers,
        List<TurnServerEntry> turnServers,
        boolean relayOnly,
        int component,
        int maxDatagramSize,
        int socketBufferBytes,
        int sendQueueCapacity,
        InstantSource clock,
        RandomGenerator random) {

    /** Decides whether an interface address becomes a host candidate. */
    @FunctionalInterface
    public interface HostFilter {
        boolean accept(NetworkInterface networkInterface, InetAddress address);
    }

    /**
     * A TURN server to allocate a relayed candidate from, with the client's credentials and settings. The
     * client's {@link TurnClientConfig#transport() transport} says how to reach it: UDP from every host socket
     * of its family, or one TCP or TLS connection (RFC 8656 §3.1).
     *
     * @param tlsContext TLS only (null otherwise): the context whose trust decides the server's certificate
     * @param tlsServerName TLS only (null otherwise): the name sent as SNI and checked against the certificate
     *     (RFC 6125), or an IP literal matched against its IP SANs
     * @param connectTimeout TCP/TLS: connect and handshake must finish within it, else the relay fails
     */
    public record TurnServerEntry(InetSocketAddress server, TurnClientConfig client, SSLContext tlsContext,
            String tlsServerName, Duration connectTimeout) {
        public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

        public TurnServerEntry {
            Objects.requireNonNull(server, "server");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            if (server.isUnresolved()) {
                throw new IllegalArgumentException("resolve the TURN server address first: " + server);
            }
            boolean tls = client.transport() == TransportProtocol.TLS;
            if (tls != (tlsContext != null) || tls != (tlsServerName != null)) {
                throw new IllegalArgumentException("a TLS server needs tlsContext and tlsServerName, others neither");
            }
            if (tls && tlsServerName.isBlank()) {
                throw new IllegalArgumentException("blank tlsServerName");
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
            }
        }

        /** UDP or TCP as the client says; TLS with the JDK's default trust, checking the server's IP. */
        public TurnServerEntry(InetSocketAddress server, TurnClientConfig client) {
            this(server, client, client.transport() == TransportProtocol.TLS ? defaultTls() : null,
                    client.transport() == TransportProtocol.TLS ? server.getAddress().getHostAddress() : null,
                    DEFAULT_CONNECT_TIMEOUT);
        }

        /** TLS with this context, verifying {@code serverName}. */
        public static TurnServerEntry tls(InetSocketAddress server, TurnClientConfig client, SSLContext context,
                String serverName) {
            return new TurnServerEntry(server, client, context, serverName, DEFAULT_CONNECT_TIMEOUT);
        }

        /**
         * From an RTCIceServer-style URI: {@code address} is what the caller resolved {@code uri.host()} to
         * (this class does no DNS); TLS uses the JDK's default trust and verifies the URI's host.
         */
        public static TurnServerEntry of(TurnUri uri, InetAddress address, String username, String password) {
            TurnClientConfig client = TurnClientConfig.builder(username, password).transport(uri.transport()).build();
            boolean tls = uri.transport() == TransportProtocol.TLS;
            return new TurnServerEntry(new InetSocketAddress(address, uri.port()), client, tls ? defaultTls() : null,
                    tls ? uri.host() : null, DEFAULT_CONNECT_TIMEOUT);
        }

        public TurnServerEntry withConnectTimeout(Duration timeout) {
            return new TurnServerEntry(server, client, tlsContext, tlsServerName, timeout);
        }

        /** How the client reaches the server (the relayed address is UDP either way). */
        public TransportProtocol transport() {
            return client.transport();
        }

        private static SSLContext defaultTls() {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no default TLS context", e);
            }
        }
    }

    public IceUdpConfig {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(hostFilter, "hostFilter");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        hostAddresses = List.copyOf(hostAddresses);
        stunServers = List.copyOf(stunServers);
        turnServers = List.copyOf(turnServers);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component must be 1..256: " + component);
        }
        if (maxDatagramSize < 576 || maxDatagramSize > 65507) {
            throw new IllegalArgumentException("maxDatagramSize must be 576..65507: " + maxDatagramSize);
        }
        if (socketBufferBytes < 4096) {
            throw new IllegalArgumentException("socketBufferBytes must be >= 4096");
        }
        if (sendQueueCapacity < 1) {
            throw new IllegalArgumentException("sendQueueCapacity must be >= 1");
        }
        if (relayOnly && turnServers.isEmpty()) {
            throw new IllegalArgumentException("relayOnly needs at least one TURN server");
        }
        for (InetSocketAddress s : stunServers) {
            if (s.isUnresolved()) {
                throw new IllegalArgumentException("resolve the STUN server address first: " + s);
            }
        }
    }

    public static Builder builder(IceRole role) {
        return new Builder(role);
    }

    public static final class Builder {
        private IceAgentConfig agent;
        private IceCredentials credentials;
        private final List<InetAddress> hostAddresses = new ArrayList<>();
        private boolean includeLoopback;
        private boolean ipv6 = true;
        private HostFilter hostFilter = (i, a) -> true;
        private int port;
        private final List<InetSocketAddress> stunServers = new ArrayList<>();
        private final List<TurnServerEntry> turnServers = new ArrayList<>();
        private boolean relayOnly;
        private int component = 1;
        private int maxDatagramSize = 2048;
        private int socketBufferBytes = 4 << 20;
        private int sendQueueCapacity = 1024;
        private InstantSource clock = InstantSource.system();
        private RandomGenerator random;

        private Builder(IceRole role) {
            this.agent = IceAgentConfig.defaults(role);
        }

        public Builder agent(IceAgentConfig agent) {
            this.agent = agent;
            return this;
        }

        public Builder credentials(IceCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Bind this address instead of enumerating interfaces; call again for more. */
        public Builder hostAddress(InetAddress address) {
            hostAddresses.add(Objects.requireNonNull(address));
            return this;
        }

        public Builder includeLoopback(boolean include) {
            this.includeLoopback = include;
            return this;
        }

        public Builder ipv6(boolean ipv6) {
            this.ipv6 = ipv6;
            return this;
        }

        public Builder hostFilter(HostFilter filter) {
            this.hostFilter = filter;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder stunServer(InetSocketAddress server) {
            stunServers.add(server);
            return this;
        }

        public Builder turnServer(InetSocketAddress server, TurnClientConfig client) {
            turnServers.add(new TurnServerEntry(server, client));
            return this;
        }

        public Builder turnServer(TurnServerEntry entry) {
            turnServers.add(Objects.requireNonNull(entry, "entry"));
            return this;
        }

        public Builder relayOnly(boolean relayOnly) {
            this.relayOnly = relayOnly;
            return this;
        }

        public Builder component(int component) {
            this.component = component;
            return this;
        }

        public Builder maxDatagramSize(int bytes) {
            this.maxDatagramSize = bytes;
            return this;
        }

        public Builder socketBufferBytes(int bytes) {
            this.socketBufferBytes = bytes;
            return this;
        }

        public Builder sendQueueCapacity(int capacity) {
            this.sendQueueCapacity = capacity;
            return this;
        }

        public Builder clock(InstantSource clock) {
            this.clock = clock;
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = random;
            return this;
        }

        public IceUdpConfig build() {
            return new IceUdpConfig(agent, credentials, hostAddresses, includeLoopback, ipv6, hostFilter, port, stunServers,
                    turnServers, relayOnly, component, maxDatagramSize, socketBufferBytes, sendQueueCapacity, clock,
                    random != null ? random : new SecureRandom());
        }
    }
}
