package io.rtc4j.testkit.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An address space: the public internet (the root of the tree) or the private side of one {@link SimNat}.
 * Addresses are unique within a realm, not across realms, so two NATs may both hide a {@code 10.0.0.2}. A packet
 * for an address of this realm goes to the node that owns it; anything else goes to the realm's NAT (its default
 * gateway) or, on the internet, is dropped as {@link DropReason#NO_ROUTE}.
 */
public final class SimRealm {
    private final SimNetwork network;
    private final String name;
    private final SimNat gateway;
    private final Map<InetAddress, SimNode> nodes = new HashMap<>();

    SimRealm(SimNetwork network, String name, SimNat gateway) {
        this.network = network;
        this.name = name;
        this.gateway = gateway;
    }

    public String name() {
        return name;
    }

    /** The NAT this realm sits behind, or null for the internet. */
    public SimNat nat() {
        return gateway;
    }

    /** A host with one or more addresses (IP literals, never names: nothing is ever resolved). */
    public SimHost addHost(String name, String... addresses) {
        if (addresses.length == 0) {
            throw new IllegalArgumentException("a host needs at least one address");
        }
        List<InetAddress> ips = new ArrayList<>();
        for (String a : addresses) {
            ips.add(literal(a));
        }
        for (InetAddress ip : ips) {
            checkFree(ip);
        }
        if (new HashSet<>(ips).size() != ips.size()) {
            throw new IllegalArgumentException("an address is given twice: " + List.of(addresses));
        }
        SimHost host = new SimHost(network, this, name, ips);
        for (InetAddress ip : ips) {
            nodes.put(ip, host);
        }
        return host;
    }

    /** A NAT whose external address lives in this realm; hosts go behind it with {@code nat.inside().addHost}. */
    public SimNat addNat(String name, String externalAddress, SimNatConfig config) {
        InetAddress ip = literal(externalAddress);
        checkFree(ip);
        SimNat nat = new SimNat(network, this, name, ip, Objects.requireNonNull(config, "config"));
        nodes.put(ip, nat);
        return nat;
    }

    /** Routes a packet that just entered this realm from {@code from} (a host's or NAT's uplink). */
    void route(SimPacket p, SimNode from) {
        SimNode to = nodes.get(p.destination().getAddress());
        if (to != null) {
            to.down.transmit(p, to::arrive);
        } else if (gateway != null) {
            gateway.outbound(p);
        } else {
            network.drop(from, p, DropReason.NO_ROUTE);
        }
    }

    /** Delivers a packet the gateway NAT translated inwards; never back out to the gateway. */
    void routeInside(SimPacket p) {
        SimNode to = nodes.get(p.destination().getAddress());
        if (to == null) {
            network.drop(gateway, p, DropReason.NO_ROUTE);
        } else {
            to.down.transmit(p, to::arrive);
        }
    }

    private void checkFree(InetAddress ip) {
        if (nodes.containsKey(ip)) {
            throw new IllegalArgumentException(ip.getHostAddress() + " is already used in realm " + name);
        }
    }

    /** Parses an IP literal; refuses names so that a typo never becomes a DNS query. */
    static InetAddress literal(String s) {
        Objects.requireNonNull(s, "address");
        if (s.isEmpty() || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new IllegalArgumentException("not an IP literal: " + s);
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP literal: " + s, e);
        }
    }

    @Override
    public String toString() {
        return "SimRealm[" + name + "]";
    }
}
