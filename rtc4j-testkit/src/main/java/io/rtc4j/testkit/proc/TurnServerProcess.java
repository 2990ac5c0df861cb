package io.rtc4j.testkit.proc;

import io.rtc4j.testkit.proc.FreePorts.PortRange;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A TURN server running as a separate process on loopback for a test: coturn's {@code turnserver}
 * ({@link CoturnServer}) or rtc4j's own ({@link Rtc4jTurnProcess}), started from the same
 * {@link TurnServerOptions} so that one test class can run against either. Closing it ends the process tree.
 */
public interface TurnServerProcess extends AutoCloseable {
    /** "coturn" or "rtc4j", for test names and messages. */
    String implementation();

    TurnServerOptions options();

    ManagedProcess process();

    default long pid() {
        return process().pid();
    }

    default String listeningIp() {
        return options().listeningIp();
    }

    default int listeningPort() {
        return options().listeningPort();
    }

    default InetSocketAddress listeningAddress() {
        return new InetSocketAddress(options().listeningAddress(), options().listeningPort());
    }

    /** The TLS (and, for coturn, DTLS) port, if TLS was asked for. */
    default OptionalInt tlsListeningPort() {
        return options().tls();
    }

    default PortRange relayPorts() {
        return options().relayPorts();
    }

    default String realm() {
        return options().realm();
    }

    /**
     * Waits until the TCP listener (and the TLS one, if any) accepts connections: the UDP readiness check of
     * {@code start()} does not prove that the TCP side is up.
     */
    default void awaitTcpListeners(Duration timeout) {
        ManagedProcess p = process();
        if (!Probes.tcpAccepting(listeningAddress(), timeout, p::isAlive)) {
            throw new ManagedProcess.ProcessException(p.describe("TCP port " + listeningPort() + " not accepting"));
        }
        OptionalInt tls = tlsListeningPort();
        if (tls.isPresent()
                && !Probes.tcpAccepting(
                        new InetSocketAddress(options().listeningAddress(), tls.getAsInt()), timeout, p::isAlive)) {
            throw new ManagedProcess.ProcessException(p.describe("TLS port " + tls.getAsInt() + " not accepting"));
        }
    }

    /** Ends the server's process tree. */
    @Override
    default void close() {
        process().close();
    }
}
