package io.rtc4j.testkit.net;

import java.util.Objects;

/**
 * A box attached to one realm by one link: a {@link SimHost} or the outside of a {@link SimNat}. The link has an
 * uplink (node to realm) and a downlink (realm to node), each with its own {@link SimLinkConditions}, so a path
 * host A to host B crosses A's uplink, then any NAT links on the way, then B's downlink.
 */
public abstract sealed class SimNode permits SimHost, SimNat {
    final SimNetwork network;
    final SimRealm realm;
    final SimPipe up;
    final SimPipe down;
    final SimCounters counters = new SimCounters();
    private final String name;

    SimNode(SimNetwork network, SimRealm realm, String name) {
        this.network = network;
        this.realm = realm;
        this.name = Objects.requireNonNull(name, "name");
        this.up = new SimPipe(network, this, network.newRandom());
        this.down = new SimPipe(network, this, network.newRandom());
    }

    public String name() {
        return name;
    }

    /** The realm this node's link attaches to. */
    public SimRealm realm() {
        return realm;
    }

    public SimCounters counters() {
        return counters;
    }

    /** Same conditions both ways (two independent pipes: separate queues and random draws). */
    public void setLink(SimLinkConditions both) {
        setUplink(both);
        setDownlink(both);
    }

    /** Applies to packets sent from now on; packets already in flight keep their timing. */
    public void setUplink(SimLinkConditions c) {
        up.conditions(c);
    }

    public void setDownlink(SimLinkConditions c) {
        down.conditions(c);
    }

    public SimLinkConditions uplink() {
        return up.conditions();
    }

    public SimLinkConditions downlink() {
        return down.conditions();
    }

    /** Puts a packet on this node's uplink towards its realm. */
    void transmitUp(SimPacket p) {
        up.transmit(p, q -> realm.route(q, this));
    }

    /** A packet came out of this node's downlink. */
    abstract void arrive(SimPacket p);

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + "]";
    }
}
