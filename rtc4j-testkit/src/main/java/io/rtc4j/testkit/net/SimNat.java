package io.rtc4j.testkit.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * A NAPT box with one external address in its parent realm and a private realm ({@link #inside()}) behind it,
 * behaving as its {@link SimNatConfig} says (RFC 4787). It translates in zero time; delay and loss belong to
 * the links. Its own link (see {@link SimNode}) is the one to the parent realm, so a NAT's uplink is the
 * subscriber's access line. NATs nest: a NAT may sit inside another NAT's realm (carrier-grade NAT).
 *
 * <p>Each external port belongs to at most one mapping, so inbound packets are matched on the port alone.
 * Mappings lapse lazily: an expired mapping is removed when a packet or a port allocation looks at it.
 */
public final class SimNat extends SimNode {
    private final InetAddress external;
    private final SimNatConfig config;
    private final SimRealm inside;
    private final RandomGenerator random;
    private final Map<NatMapping.Key, NatMapping> byKey = new HashMap<>();
    private final Map<Integer, NatMapping> byPort = new HashMap<>();
    private int nextPort;

    SimNat(SimNetwork network, SimRealm realm, String name, InetAddress external, SimNatConfig config) {
        super(network, realm, name);
        this.external = external;
        this.config = config;
        this.inside = new SimRealm(network, name + "-inside", this);
        this.random = network.newRandom();
        this.nextPort = config.portLow();
    }

    public InetAddress externalAddress() {
        return external;
    }

    public SimNatConfig config() {
        return config;
    }

    /** The private realm behind this NAT. */
    public SimRealm inside() {
        return inside;
    }

    /** Live mappings now, ordered by external port. */
    public List<SimNatMapping> mappings() {
        Instant now = network.now();
        List<SimNatMapping> out = new ArrayList<>();
        for (NatMapping m : byPort.values()) {
            if (!m.expired(now, config.mappingTimeout())) {
                out.add(m.snapshot());
            }
        }
        out.sort(Comparator.comparingInt(m -> m.external().getPort()));
        return out;
    }

    /** A packet from the private realm for an address outside it. */
    void outbound(SimPacket p) {
        InetSocketAddress dst = p.destination();
        if (dst.getAddress().getClass() != external.getClass()) {
            network.drop(this, p, DropReason.NO_ROUTE); // no NAT46/64 here
            return;
        }
        boolean hairpin = dst.getAddress().equals(external);
        if (hairpin && !config.hairpinning()) {
            network.drop(this, p, DropReason.NAT_NO_HAIRPIN);
            return;
        }
        Instant now = network.now();
        NatMapping m = mappingFor(p.source(), dst, now);
        if (m == null) {
            network.drop(this, p, DropReason.NAT_PORTS_EXHAUSTED);
            return;
        }
        m.outbound(dst, now);
        SimPacket out = p.withSource(m.external);
        network.translated(this, SimTraceEvent.Kind.NAT_OUT, out);
        if (hairpin) {
            // §6, REQ-9: the hairpinned packet carries the sender's external address and port, and meets the
            // receiving mapping's filter like any inbound packet.
            inbound(out);
        } else {
            transmitUp(out);
        }
    }

    /** A packet that came down this NAT's link, addressed to its external address. */
    @Override
    void arrive(SimPacket p) {
        inbound(p);
    }

    private void inbound(SimPacket p) {
        Instant now = network.now();
        NatMapping m = live(byPort.get(p.destination().getPort()), now);
        if (m == null) {
            network.drop(this, p, DropReason.NAT_NO_MAPPING);
            return;
        }
        if (!m.permits(config.filtering(), p.source(), now, config.mappingTimeout())) {
            network.drop(this, p, DropReason.NAT_FILTERED);
            return;
        }
        if (config.inboundRefresh()) {
            m.inboundRefresh(p.source(), now);
        }
        SimPacket in = p.withDestination(m.internal);
        network.translated(this, SimTraceEvent.Kind.NAT_IN, in);
        inside.routeInside(in);
    }

    private NatMapping mappingFor(InetSocketAddress internal, InetSocketAddress remote, Instant now) {
        NatMapping.Key key = NatMapping.Key.of(config.mapping(), internal, remote);
        NatMapping m = live(byKey.get(key), now);
        if (m != null) {
            return m;
        }
        int port = allocatePort(internal.getPort(), now);
        if (port < 0) {
            return null;
        }
        m = new NatMapping(key, new InetSocketAddress(external, port), now);
        byKey.put(key, m);
        byPort.put(port, m);
        network.mapping(this, SimTraceEvent.Kind.MAPPING_CREATED, m);
        return m;
    }

    /** Returns {@code m} if it is still live; removes it if it has lapsed (RFC 4787 §4.3). */
    private NatMapping live(NatMapping m, Instant now) {
        if (m == null || !m.expired(now, config.mappingTimeout())) {
            return m;
        }
        byKey.remove(m.key);
        byPort.remove(m.external.getPort());
        network.mapping(this, SimTraceEvent.Kind.MAPPING_EXPIRED, m);
        return null;
    }

    private boolean free(int port, Instant now) {
        return live(byPort.get(port), now) == null;
    }

    /** RFC 4787 §4.2.1; never port overloading (REQ-3): a port serves one mapping at a time. */
    private int allocatePort(int internalPort, Instant now) {
        int low = config.portLow();
        int span = config.portHigh() - low + 1;
        switch (config.portAssignment()) {
            case PRESERVING -> {
                if (internalPort >= low && internalPort <= config.portHigh() && free(internalPort, now)) {
                    return internalPort;
                }
            }
            case RANDOM -> {
                for (int i = 0; i < 64; i++) {
                    int p = low + random.nextInt(span);
                    if (free(p, now)) {
                        return p;
                    }
                }
                nextPort = low + random.nextInt(span); // crowded: scan on from a random point
            }
            case SEQUENTIAL -> {}
        }
        for (int i = 0; i < span; i++) {
            int p = nextPort;
            nextPort = p == config.portHigh() ? low : p + 1;
            if (free(p, now)) {
                return p;
            }
        }
        return -1;
    }
}
