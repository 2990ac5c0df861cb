package io.rtc4j.turn.net;

import io.rtc4j.turn.RelayEndpoint;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/** A relay transport address: one non-blocking UDP socket registered with its event loop's selector. */
final class UdpRelay implements RelayEndpoint {
    final DatagramChannel channel;
    final PortPool pool;
    final int port;
    private final InetSocketAddress advertised;
    /** The registration with the selector of the loop that owns this relay now; see adopt. */
    volatile java.nio.channels.SelectionKey key;

    UdpRelay(DatagramChannel channel, PortPool pool, int port, InetSocketAddress advertised) {
        this.channel = channel;
        this.pool = pool;
        this.port = port;
        this.advertised = advertised;
    }

    @Override
    public InetSocketAddress address() {
        return advertised;
    }

    @Override
    public String toString() {
        return "relay " + advertised;
    }
}
