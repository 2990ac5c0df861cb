package io.rtc4j.testkit.proc;

import io.rtc4j.testkit.proc.FreePorts.PortRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects {@link TurnServerOptions} for either TURN server under test. Unset ports are picked by
 * {@link FreePorts} at {@link #start()}: a free UDP+TCP listening port and a private relay range of
 * {@value #DEFAULT_RELAY_PORTS} ports.
 *
 * @param <B> the concrete builder, for chaining
 * @param <S> what {@link #start()} returns
 */
public abstract class TurnServerBuilder<B extends TurnServerBuilder<B, S>, S extends TurnServerProcess> {
    public static final int DEFAULT_RELAY_PORTS = 100;

    private String listeningIp = "127.0.0.1";
    private int listeningPort;
    private boolean tls;
    private int tlsListeningPort;
    private Path cert;
    private Path pkey;
    private String realm = "rtc4j.test";
    private final List<String> users = new ArrayList<>();
    private boolean ltCredMech;
    private String staticAuthSecret;
    private final List<String> allowedPeerIps = new ArrayList<>();
    private final List<String> deniedPeerIps = new ArrayList<>();
    private PortRange relayPorts;
    private int userQuota;
    private int totalQuota;
    private long maxBps;
    private final List<String> extraArgs = new ArrayList<>();
    protected Duration startTimeout = Duration.ofSeconds(20);

    protected TurnServerBuilder() {}

    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    /** Starts the server and waits (bounded) until it answers; on failure nothing is left running. */
    public abstract S start();

    public B listeningIp(String ip) {
        this.listeningIp = Objects.requireNonNull(ip);
        return self();
    }

    public B listeningPort(int port) {
        this.listeningPort = port;
        return self();
    }

    /** A TLS (and DTLS, for coturn) listener on a free port, with this PEM certificate and key. */
    public B tls(Path cert, Path pkey) {
        return tls(0, cert, pkey);
    }

    /** A TLS listener on {@code port} (0: a free one). */
    public B tls(int port, Path cert, Path pkey) {
        this.tls = true;
        this.tlsListeningPort = port;
        this.cert = Objects.requireNonNull(cert);
        this.pkey = Objects.requireNonNull(pkey);
        return self();
    }

    public B tls(SelfSignedCertificate certificate) {
        return tls(certificate.certificate(), certificate.privateKey());
    }

    public B realm(String realm) {
        this.realm = Objects.requireNonNull(realm);
        return self();
    }

    /** A long-term credential user; also turns on {@code --lt-cred-mech}. */
    public B user(String name, String password) {
        users.add(name + ":" + password);
        this.ltCredMech = true;
        return self();
    }

    public B ltCredMech() {
        this.ltCredMech = true;
        return self();
    }

    /** TURN REST API credentials: {@code --use-auth-secret --static-auth-secret secret}. */
    public B useAuthSecret(String secret) {
        this.staticAuthSecret = Objects.requireNonNull(secret);
        return self();
    }

    public B allowedPeerIp(String ipOrRange) {
        allowedPeerIps.add(ipOrRange);
        return self();
    }

    public B deniedPeerIp(String ipOrRange) {
        deniedPeerIps.add(ipOrRange);
        return self();
    }

    public B relayPorts(PortRange range) {
        this.relayPorts = range;
        return self();
    }

    public B userQuota(int n) {
        this.userQuota = n;
        return self();
    }

    public B totalQuota(int n) {
        this.totalQuota = n;
        return self();
    }

    public B maxBps(long bps) {
        this.maxBps = bps;
        return self();
    }

    /** Passed after the common options, verbatim. */
    public B extraArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return self();
    }

    /** Bound on start-up (process launch until the readiness check passes). */
    public B startTimeout(Duration timeout) {
        this.startTimeout = Objects.requireNonNull(timeout);
        return self();
    }

    /** Freezes the options, picking free ports for those left unset. */
    protected TurnServerOptions options() {
        int port = listeningPort != 0 ? listeningPort : FreePorts.udpAndTcp();
        int tlsPort = !tls ? 0 : tlsListeningPort != 0 ? tlsListeningPort : FreePorts.udpAndTcp();
        PortRange relay = relayPorts != null ? relayPorts : FreePorts.relayRange(DEFAULT_RELAY_PORTS);
        return new TurnServerOptions(
                listeningIp,
                port,
                tlsPort,
                cert,
                pkey,
                realm,
                users,
                ltCredMech,
                staticAuthSecret,
                allowedPeerIps,
                deniedPeerIps,
                relay,
                userQuota,
                totalQuota,
                maxBps,
                extraArgs);
    }
}
