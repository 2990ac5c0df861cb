package io.rtc4j.testkit.proc;

import io.rtc4j.testkit.proc.FreePorts.PortRange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a TURN server under test is told, in coturn's option names, which rtc4j's {@code turn} subcommand
 * shares: the same options start either server. Built by {@link TurnServerBuilder}; immutable.
 *
 * @param tlsListeningPort 0 for no TLS/DTLS listener
 * @param staticAuthSecret non-null for the TURN REST API mechanism ({@code --use-auth-secret})
 * @param userQuota 0 for the server's default; likewise {@code totalQuota} and {@code maxBps}
 */
public record TurnServerOptions(
        String listeningIp,
        int listeningPort,
        int tlsListeningPort,
        Path cert,
        Path pkey,
        String realm,
        List<String> users,
        boolean ltCredMech,
        String staticAuthSecret,
        List<String> allowedPeerIps,
        List<String> deniedPeerIps,
        PortRange relayPorts,
        int userQuota,
        int totalQuota,
        long maxBps,
        List<String> extraArgs) {

    public TurnServerOptions {
        Objects.requireNonNull(listeningIp, "listeningIp");
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(relayPorts, "relayPorts");
        users = List.copyOf(users);
        allowedPeerIps = List.copyOf(allowedPeerIps);
        deniedPeerIps = List.copyOf(deniedPeerIps);
        extraArgs = List.copyOf(extraArgs);
        if (!isLoopback(listeningIp)) {
            throw new IllegalArgumentException("test servers listen on loopback only, not " + listeningIp);
        }
        checkPort(listeningPort, "listeningPort");
        if (tlsListeningPort != 0) {
            checkPort(tlsListeningPort, "tlsListeningPort");
            if (cert == null || pkey == null) {
                throw new IllegalArgumentException("a TLS listener needs cert and pkey");
            }
        }
        for (String u : users) {
            if (u.indexOf(':') <= 0) {
                throw new IllegalArgumentException("user must be name:password, got " + u);
            }
        }
        if (staticAuthSecret != null && staticAuthSecret.isEmpty()) {
            throw new IllegalArgumentException("empty static auth secret");
        }
        if (relayPorts.contains(listeningPort) || (tlsListeningPort != 0 && relayPorts.contains(tlsListeningPort))) {
            throw new IllegalArgumentException("listening ports inside the relay range " + relayPorts);
        }
    }

    public InetAddress listeningAddress() {
        try {
            return InetAddress.getByName(listeningIp);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public OptionalInt tls() {
        return tlsListeningPort == 0 ? OptionalInt.empty() : OptionalInt.of(tlsListeningPort);
    }

    public boolean useAuthSecret() {
        return staticAuthSecret != null;
    }

    public Optional<String> secret() {
        return Optional.ofNullable(staticAuthSecret);
    }

    /** The options both servers understand, spelled as coturn spells them; extra arguments last. */
    public List<String> commonArgs() {
        List<String> a = new ArrayList<>();
        add(a, "--listening-ip", listeningIp);
        add(a, "--listening-port", listeningPort);
        if (tlsListeningPort != 0) {
            add(a, "--tls-listening-port", tlsListeningPort);
            add(a, "--cert", cert.toAbsolutePath());
            add(a, "--pkey", pkey.toAbsolutePath());
        }
        add(a, "--realm", realm);
        if (ltCredMech) {
            a.add("--lt-cred-mech");
        }
        for (String u : users) {
            add(a, "--user", u);
        }
        if (staticAuthSecret != null) {
            a.add("--use-auth-secret");
            add(a, "--static-auth-secret", staticAuthSecret);
        }
        for (String ip : allowedPeerIps) {
            add(a, "--allowed-peer-ip", ip);
        }
        for (String ip : deniedPeerIps) {
            add(a, "--denied-peer-ip", ip);
        }
        add(a, "--min-port", relayPorts.min());
        add(a, "--max-port", relayPorts.max());
        if (userQuota > 0) {
            add(a, "--user-quota", userQuota);
        }
        if (totalQuota > 0) {
            add(a, "--total-quota", totalQuota);
        }
        if (maxBps > 0) {
            add(a, "--max-bps", maxBps);
        }
        a.addAll(extraArgs);
        return a;
    }

    private static void add(List<String> args, String option, Object value) {
        args.add(option);
        args.add(String.valueOf(value));
    }

    private static void checkPort(int port, String what) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(what + " out of range: " + port);
        }
    }

    static boolean isLoopback(String ip) {
        // Literal addresses only: no name lookups in tests.
        return ip.equals("::1") || ip.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
