package io.rtc4j.netns;

import io.rtc4j.testkit.netns.Ipv4Cidr;
import io.rtc4j.testkit.netns.PublicNetwork;
import io.rtc4j.testkit.proc.ManagedProcess;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * rtc4j's STUN/TURN server as a user runs it ({@code rtc4j turn}, here {@code io.rtc4j.server.Main turn} in a
 * child JVM) inside the lab's public namespace, listening on the given public addresses. The peers it relays
 * to are NAT boxes' public addresses, inside a documentation range the server's default policy refuses, so
 * the test allows the lab's ranges explicitly.
 */
final class PublicTurnServer implements AutoCloseable {
    static final int PORT = 3478;
    static final String USER = "netns";
    static final String PASSWORD = "netns-secret";
    static final String REALM = "rtc4j.netns";

    private final ManagedProcess process;
    private final List<InetSocketAddress> addresses;

    private PublicTurnServer(ManagedProcess process, List<InetSocketAddress> addresses) {
        this.process = process;
        this.addresses = addresses;
    }

    static PublicTurnServer start(PublicNetwork network, List<String> allowedPeers, Ipv4Cidr... listening) {
        List<String> args = new ArrayList<>(List.of("turn"));
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (Ipv4Cidr a : listening) {
            args.addAll(List.of("--listening-ip", a.ip()));
            addresses.add(new InetSocketAddress(a.address(), PORT));
        }
        args.addAll(List.of(
                "--listening-port", String.valueOf(PORT),
                "--relay-ip", listening[0].ip(),
                "--no-tls",
                "--realm", REALM,
                "--user", USER + ":" + PASSWORD,
                "--min-port", "40000",
                "--max-port", "40999",
                "--relay-threads", "1"));
        for (String range : allowedPeers) {
            args.addAll(List.of("--allowed-peer-ip", range));
        }
        ManagedProcess p = network.namespace()
                .process(JavaCommand.of("io.rtc4j.server.Main", args))
                .name("rtc4j-turn")
                .logToTargetDir()
                .start();
        try {
            // The server logs this once every socket is bound; a process that dies ends the wait at once.
            p.awaitOutput(Pattern.compile("event=turn_started"), Duration.ofSeconds(60));
            return new PublicTurnServer(p, List.copyOf(addresses));
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    List<InetSocketAddress> addresses() {
        return addresses;
    }

    ManagedProcess process() {
        return process;
    }

    /** Still running, and nothing logged at WARN or ERROR level so far. */
    void assertHealthy() {
        if (!process.isAlive() || process.output().contains(" WARN ") || process.output().contains(" ERROR ")) {
            throw new AssertionError(process.describe("unhealthy TURN server"));
        }
    }

    @Override
    public void close() {
        process.close();
    }
}
