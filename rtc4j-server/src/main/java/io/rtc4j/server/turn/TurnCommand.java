package io.rtc4j.server.turn;

import io.rtc4j.turn.CompositeAuthenticator;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.SharedSecretAuthenticator;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TurnAuthenticator;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.net.TurnServer;
import io.rtc4j.turn.net.TurnServerSettings;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code rtc4j turn}: the STUN/TURN server, taking coturn's option names (and its turnserver.conf with
 * {@code -c}) where the concept is the same.
 */
@Command(
        name = "turn",
        mixinStandardHelpOptions = true,
        description = "Run the STUN/TURN server (RFC 8489/8656). Options follow coturn's turnserver.")
public final class TurnCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(TurnCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, description = "coturn turnserver.conf file; unsupported keys are reported and skipped.")
    Path config;

    @Option(names = {"-L", "--listening-ip"}, description = "Listening address (repeatable). Default: every local address.")
    List<String> listeningIps = new ArrayList<>();

    @Option(names = {"-p", "--listening-port"}, defaultValue = "3478", description = "UDP and TCP port (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tls-listening-port", defaultValue = "5349", description = "TURNS (TLS) port (default ${DEFAULT-VALUE}).")
    int tlsPort;

    @Option(names = "--no-tls", description = "Do not listen for TLS.")
    boolean noTls;

    @Option(names = {"-r", "--realm"}, defaultValue = "rtc4j", description = "Realm of long-term credentials (default ${DEFAULT-VALUE}).")
    String realm;

    @Option(names = {"-u", "--user"}, description = "name:password or name:0x<key> (repeatable).")
    List<String> users = new ArrayList<>();

    @Option(names = {"-a", "--lt-cred-mech"}, description = "Long-term credentials (always on; accepted for coturn compatibility).")
    boolean ltCredMech;

    @Option(names = "--use-auth-secret", description = "Accept time-limited credentials from --static-auth-secret (TURN REST API).")
    boolean useAuthSecret;

    @Option(names = "--static-auth-secret", description = "Shared secret for time-limited credentials (repeatable, for rotation).")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--allowed-peer-ip", description = "Peer address, a-b range or CIDR to allow even if special-purpose (repeatable).")
    List<String> allowedPeers = new ArrayList<>();

    @Option(names = "--denied-peer-ip", description = "Peer address, a-b range or CIDR to deny (repeatable).")
    List<String> deniedPeers = new ArrayList<>();

    @Option(names = "--allow-loopback-peers", description = "Allow relaying to 127.0.0.0/8 and ::1.")
    boolean allowLoopbackPeers;

    @Option(names = "--min-port", defaultValue = "49152", description = "Lowest relay port (default ${DEFAULT-VALUE}).")
    int minPort;

    @Option(names = "--max-port", defaultValue = "65535", description = "Highest relay port (default ${DEFAULT-VALUE}).")
    int maxPort;

    @Option(names = "--relay-ip", description = "Relay address (repeatable: one IPv4, one IPv6). Default: the first listening addresses.")
    List<String> relayIps = new ArrayList<>();

    @Option(names = {"-X", "--external-ip"}, description = "Public IPv4 address to advertise for relays behind a 1:1 NAT.")
    String externalIp;

    @Option(names = "--cert", description = "PEM certificate chain for TLS. Default: a generated self-signed certificate.")
    Path cert;

    @Option(names = "--pkey", description = "PEM private key for --cert.")
    Path pkey;

    @Option(names = "--user-quota", defaultValue = "0", description = "Allocations per user, 0 = unlimited.")
    int userQuota;

    @Option(names = "--total-quota", defaultValue = "0", description = "Allocations in total, 0 = unlimited.")
    int totalQuota;

    @Option(names = "--max-bps", defaultValue = "0", description = "Bytes per second per allocation and direction, 0 = unlimited.")
    long maxBps;

    @Option(names = "--max-allocate-lifetime", defaultValue = "3600", description = "Longest allocation lifetime in seconds.")
    long maxLifetime;

    @Option(names = "--default-allocate-lifetime", defaultValue = "600", description = "Default allocation lifetime in seconds.")
    long defaultLifetime;

    @Option(names = "--relay-threads", defaultValue = "0", description = "Event loops; 0 = one per CPU.")
    int threads;

    @Option(names = "--prometheus", description = "Serve Prometheus metrics at http://<prometheus-address>:<prometheus-port>/metrics.")
    boolean prometheus;

    @Option(names = "--prometheus-port", defaultValue = "9641", description = "Metrics port (default ${DEFAULT-VALUE}).")
    int prometheusPort;

    @Option(names = "--prometheus-address", defaultValue = "127.0.0.1", description = "Metrics address (default ${DEFAULT-VALUE}).")
    String prometheusAddress;

    @Option(names = {"-v", "--verbose"}, description = "Debug logging.")
    boolean verbose;

    @Option(names = {"--no-cli", "--fingerprint", "--no-dtls", "--no-multicast-peers", "--no-loopback-peers"},
            description = "Accepted for coturn compatibility: these are rtc4j's behaviour already.")
    boolean coturnNoOps;

    @CommandLine.Unmatched
    List<String> unmatched = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (config != null) {
            return reparseWithConfigFile();
        }
        for (String u : unmatched) {
            log.warn("event=option_ignored option=\"{}\" reason=\"not supported by rtc4j\"", u);
        }
        RunningTurn running = start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            done.countDown();
        }, "shutdown"));
        done.await();
        return 0;
    }

    private int reparseWithConfigFile() throws IOException {
        Set<String> known = spec.options().stream()
                .flatMap(o -> java.util.Arrays.stream(o.names()))
                .filter(n -> n.startsWith("--"))
                .map(n -> n.substring(2))
                .filter(n -> !n.equals("config"))
                .collect(Collectors.toSet());
        List<String> args = new ArrayList<>(CoturnConfigFile.toArguments(config, known,
                w -> log.warn("event=config_key_ignored detail=\"{}\"", w)));
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        for (int i = 0; i < original.size(); i++) {
            String a = original.get(i);
            if (a.equals("-c") || a.equals("--config")) {
                i++;
            } else if (!a.startsWith("--config=")) {
                args.add(a); // command-line options come after the file's, so they win
            }
        }
        CommandLine fresh = new CommandLine(new TurnCommand());
        fresh.setUnmatchedArgumentsAllowed(true);
        return fresh.execute(args.toArray(String[]::new));
    }

    /**
     * Embedded mode ({@code ./rtc4j server}): TURN REST credentials from a shared secret the signaling server
     * also holds (generated unless --static-auth-secret is given), and relaying allowed to loopback and to
     * this machine's listening addresses, so that two browsers on one machine can call through the relay.
     *
     * @return the shared secret that signaling mints TURN credentials with
     */
    public String prepareEmbedded() throws SocketException {
        if (secrets.isEmpty()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            secrets.add(HexFormat.of().formatHex(random));
            log.info("event=generated_auth_secret reason=\"embedded TURN: signaling hands out credentials\"");
        }
        useAuthSecret = true;
        allowLoopbackPeers = true;
        List<InetAddress> listen = listeningIps.isEmpty() ? localAddresses() : parseAll(listeningIps);
        List<String> added = new ArrayList<>();
        for (InetAddress a : listen) {
            allowedPeers.add(a.getHostAddress());
            added.add(a.getHostAddress());
        }
        log.info("event=turn_local_peers_allowed loopback=true addresses={} reason=\"same-machine calls through the "
                + "relay; use --denied-peer-ip to narrow\"", added);
        return secrets.get(0);
    }

    /** Whether -c/--config was given (only {@code rtc4j turn} reads coturn's file). */
    public boolean hasConfigFile() {
        return config != null;
    }

    /** The listening addresses as given (empty = every local address). */
    public List<String> listeningIps() {
        return List.copyOf(listeningIps);
    }

    public int listeningPort() {
        return port;
    }

    /** The TURNS port, or 0 when TLS is off. */
    public int tlsListeningPort() {
        return noTls ? 0 : tlsPort;
    }

    /** The --cert/--pkey TLS context, or null when none was given. */
    public SSLContext certificateContext() throws IOException, GeneralSecurityException {
        return cert != null && pkey != null ? TlsContexts.fromPem(cert, pkey) : null;
    }

    public boolean verbose() {
        return verbose;
    }

    /** Starts the servers this command describes; also used by tests. */
    public RunningTurn start() throws IOException, GeneralSecurityException {
        List<InetAddress> listen = listeningIps.isEmpty() ? localAddresses() : parseAll(listeningIps);
        InetAddress relay4 = null;
        InetAddress relay6 = null;
        List<InetAddress> candidates = new ArrayList<>(relayIps.isEmpty() ? listen : parseAll(relayIps));
        // by default relay from a routable address: loopback only when nothing else listens
        candidates.sort((a, b) -> Boolean.compare(a.isLoopbackAddress(), b.isLoopbackAddress()));
        for (InetAddress a : candidates) {
            if (a instanceof Inet4Address && relay4 == null) {
                relay4 = a;
            } else if (a instanceof Inet6Address && relay6 == null) {
                relay6 = a;
            }
        }
        TurnAuthenticator auth = authenticator();
        var peers = DefaultPeerAddressPolicy.builder();
        allowedPeers.forEach(peers::allow);
        deniedPeers.forEach(peers::deny);
        if (allowLoopbackPeers) {
            peers.allow("127.0.0.0/8").allow("::1");
        }
        SSLContext tls = null;
        if (!noTls && tlsPort > 0) {
            if (cert != null && pkey != null) {
                tls = TlsContexts.fromPem(cert, pkey);
            } else {
                tls = TlsContexts.selfSigned(realm);
                log.info("event=tls_self_signed reason=\"no --cert/--pkey given\"");
            }
        }
        TurnServerConfig engineConfig = TurnServerConfig.defaults(realm)
                .withLifetimes(Duration.ofSeconds(defaultLifetime), Duration.ofSeconds(maxLifetime))
                .withMaxBytesPerSecond(maxBps);
        int loops = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        TurnServerSettings settings = new TurnServerSettings(listen, port, noTls ? 0 : tlsPort, relay4, relay6,
                externalIp == null ? null : literal(externalIp), minPort, maxPort, loops, 4 << 20);
        TurnMetrics metrics = new TurnMetrics();
        TurnServer server = TurnServer.start(settings, engineConfig, auth, peers.build(),
                new QuotaPolicy(userQuota, totalQuota), tls, metrics);
        MetricsHttpServer http = null;
        if (prometheus) {
            try {
                http = MetricsHttpServer.start(
                        new InetSocketAddress(literal(prometheusAddress), prometheusPort), metrics);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            log.info("event=metrics_started url=\"http://{}/metrics\"", http.address());
        }
        return new RunningTurn(server, http);
    }

    private TurnAuthenticator authenticator() {
        List<TurnAuthenticator> parts = new ArrayList<>();
        if (!users.isEmpty()) {
            parts.add(StaticUserAuthenticator.parse(users));
        }
        List<String> keys = new ArrayList<>(secrets);
        if ((useAuthSecret || !secrets.isEmpty()) && keys.isEmpty() || parts.isEmpty() && keys.isEmpty()) {
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            keys.add(HexFormat.of().formatHex(random));
            log.warn("event=generated_auth_secret secret={} hint=\"no --user or --static-auth-secret given; "
                    + "mint credentials with: ./rtc4j turn-credentials --secret {} --user NAME\"", keys.get(0), keys.get(0));
        }
        if (!keys.isEmpty()) {
            parts.add(SharedSecretAuthenticator.ofStrings(keys));
        }
        return parts.size() == 1 ? parts.get(0) : new CompositeAuthenticator(parts);
    }

    private static List<InetAddress> parseAll(List<String> literals) {
        List<InetAddress> out = new ArrayList<>();
        for (String s : literals) {
            try {
                out.add(literal(s.strip()));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(new CommandLine(new TurnCommand()), "not an IP address: " + s);
            }
        }
        return out;
    }

    /** An IP address literal, never resolved through DNS (IpRange parses without lookups). */
    static InetAddress literal(String s) {
        io.rtc4j.turn.IpRange r = io.rtc4j.turn.IpRange.parse(s.strip());
        if (!r.start().equals(r.end())) {
            throw new IllegalArgumentException("not a single IP address: " + s);
        }
        return r.start();
    }

    /** Every address of every interface that is up, except IPv6 link-local ones (they need a scope). */
    private static List<InetAddress> localAddresses() throws SocketException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
            if (!nif.isUp()) {
                continue;
            }
            nif.inetAddresses()
                    .filter(a -> !(a instanceof Inet6Address && a.isLinkLocalAddress()))
                    .map(a -> a instanceof Inet6Address v6 ? stripScope(v6) : a)
                    .forEach(out::add);
        }
        out.sort((a, b) -> Boolean.compare(a instanceof Inet6Address, b instanceof Inet6Address));
        return out;
    }

    private static InetAddress stripScope(Inet6Address a) {
        try {
            return InetAddress.getByAddress(a.getAddress());
        } catch (java.net.UnknownHostException e) {
            return a;
        }
    }

    /** The TURN server and its metrics endpoint; closing shuts both down gracefully. */
    public record RunningTurn(TurnServer server, MetricsHttpServer metrics) implements AutoCloseable {
        @Override
        public void close() {
            if (metrics != null) {
                metrics.close();
            }
            server.close();
        }
    }
}
