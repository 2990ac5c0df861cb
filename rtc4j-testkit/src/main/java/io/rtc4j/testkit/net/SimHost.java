package io.rtc4j.testkit.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An end host with one or more addresses in one realm. Sockets bound on it send through its uplink and receive
 * from its downlink. A datagram for a port nobody bound is dropped ({@link DropReason#NO_SOCKET}); no ICMP is
 * modelled.
 */
public final class SimHost extends SimNode {
    /** IANA dynamic range, where port 0 binds land, handed out in order so traces repeat. */
    static final int EPHEMERAL_LOW = 49152;

    static final int EPHEMERAL_HIGH = 65535;

    private final List<InetAddress> addresses;
    private final Map<InetSocketAddress, SimSocket> sockets = new HashMap<>();
    private int nextEphemeral = EPHEMERAL_LOW;

    SimHost(SimNetwork network, SimRealm realm, String name, List<InetAddress> addresses) {
        super(network, realm, name);
        this.addresses = List.copyOf(addresses);
    }

    public List<InetAddress> addresses() {
        return addresses;
    }

    /** The first address. */
    public InetAddress address() {
        return addresses.get(0);
    }

    /** Binds on the first address; port 0 picks a free ephemeral port. */
    public SimSocket bind(int port) {
        return bind(address(), port);
    }

    public SimSocket bind(InetSocketAddress local) {
        return bind(local.getAddress(), local.getPort());
    }

    public SimSocket bind(InetAddress ip, int port) {
        Objects.requireNonNull(ip, "ip");
        if (!addresses.contains(ip)) {
            throw new IllegalArgumentException(ip.getHostAddress() + " is not an address of " + name());
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        int p = port == 0 ? ephemeral(ip) : port;
        InetSocketAddress local = new InetSocketAddress(ip, p);
        if (sockets.containsKey(local)) {
            throw new IllegalStateException("address in use: " + local);
        }
        SimSocket s = new SimSocket(this, local);
        sockets.put(local, s);
        return s;
    }

    private int ephemeral(InetAddress ip) {
        int span = EPHEMERAL_HIGH - EPHEMERAL_LOW + 1;
        for (int i = 0; i < span; i++) {
            int p = nextEphemeral;
            nextEphemeral = p == EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
            if (!sockets.containsKey(new InetSocketAddress(ip, p))) {
                return p;
            }
        }
        throw new IllegalStateException("no free ephemeral port on " + ip.getHostAddress());
    }

    void unbind(SimSocket s) {
        sockets.remove(s.localAddress(), s);
    }

    void send(SimSocket from, InetSocketAddress to, byte[] data) {
        SimPacket p = new SimPacket(from.localAddress(), to, data);
        network.sent(this, p);
        transmitUp(p);
    }

    @Override
    void arrive(SimPacket p) {
        SimSocket s = sockets.get(p.destination());
        if (s == null) {
            network.drop(this, p, DropReason.NO_SOCKET);
        } else {
            s.deliver(p);
        }
    }
}
