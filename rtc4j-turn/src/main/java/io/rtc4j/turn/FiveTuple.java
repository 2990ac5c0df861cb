package io.rtc4j.turn;

import java.net.InetSocketAddress;
import java.util.Objects;

/** Client address, server address and transport: the key of an allocation (RFC 8656 §2). */
public record FiveTuple(TransportProtocol transport, InetSocketAddress client, InetSocketAddress server) {
    public FiveTuple {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
    }

    @Override
    public String toString() {
        return transport + " " + client + "->" + server;
    }
}
