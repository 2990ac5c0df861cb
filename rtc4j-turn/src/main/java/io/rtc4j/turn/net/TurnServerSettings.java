package io.rtc4j.turn.net;

import java.net.InetAddress;
import java.util.List;

/**
 * Where and how the TURN driver listens and relays.
 *
 * @param listenAddresses addresses to bind listeners on (one socket per address, never the wildcard, so
 *     answers leave from the address the client used)
 * @param port UDP and TCP listening port (3478)
 * @param tlsPort TLS listening port (5349), 0 for none
 * @param relay4 address relays of IPv4 allocations bind to, or null for no IPv4 relaying
 * @param relay6 same for IPv6
 * @param external4 address advertised in XOR-RELAYED-ADDRESS instead of relay4 (behind a 1:1 NAT), or null
 * @param minPort lowest relay port
 * @param maxPort highest relay port
 * @param threads event loops (engines), each with its own listener socket via SO_REUSEPORT
 * @param socketBuffer SO_RCVBUF/SO_SNDBUF asked for every UDP socket
 */
public record TurnServerSettings(
        List<InetAddress> listenAddresses,
        int port,
        int tlsPort,
        InetAddress relay4,
        InetAddress relay6,
        InetAddress external4,
        int minPort,
        int maxPort,
        int threads,
        int socketBuffer) {
    public TurnServerSettings {
        listenAddresses = List.copyOf(listenAddresses);
        if (listenAddresses.isEmpty()) {
            throw new IllegalArgumentException("no listening address");
        }
        if (port < 0 || port > 65535 || tlsPort < 0 || tlsPort > 65535) {
            throw new IllegalArgumentException("ports are 0..65535");
        }
        if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
            throw new IllegalArgumentException("bad relay port range " + minPort + "-" + maxPort);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        if (relay4 == null && relay6 == null) {
            throw new IllegalArgumentException("no relay address");
        }
    }
}
