package io.rtc4j.turn;

import io.rtc4j.stun.AddressFamily;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * An in-memory {@link RelayAllocator}: hands out relay endpoints on one IPv4 and/or one IPv6 address with
 * ports from a range per family, records every open and close, and counts closes of endpoints it never
 * opened or already closed (engine bugs).
 */
final class FakeRelayAllocator implements RelayAllocator {

    /** One relayed transport address; compared by identity, as the engine does. */
    static final class FakeRelay implements RelayEndpoint {
        private final InetSocketAddress address;
        final boolean dontFragment;
        boolean closed;

        FakeRelay(InetSocketAddress address, boolean dontFragment) {
            this.address = address;
            this.dontFragment = dontFragment;
        }

        @Override
        public InetSocketAddress address() {
            return address;
        }

        int port() {
            return address.getPort();
        }

        @Override
        public String toString() {
            return "relay " + address + (closed ? " (closed)" : "");
        }
    }

    private final InetAddress v4;
    private final InetAddress v6;
    private final int min4;
    private final int max4;
    private final int min6;
    private final int max6;
    private final BitSet used4 = new BitSet();
    private final BitSet used6 = new BitSet();
    final List<FakeRelay> opened = new ArrayList<>();
    final List<FakeRelay> closed = new ArrayList<>();
    int badCloses; // endpoints closed twice or never opened here

    /** @param v4 the IPv4 relay address or null (IPv4 unsupported); likewise v6 */
    FakeRelayAllocator(InetAddress v4, int min4, int max4, InetAddress v6, int min6, int max6) {
        this.v4 = v4;
        this.v6 = v6;
        this.min4 = min4;
        this.max4 = max4;
        this.min6 = min6;
        this.max6 = max6;
    }

    @Override
    public RelayEndpoint open(AddressFamily family, boolean evenPort, boolean dontFragment) {
        InetAddress ip = address(family);
        if (ip == null) {
            return null;
        }
        BitSet used = used(family);
        for (int p = min(family); p <= max(family); p++) {
            if ((!evenPort || (p & 1) == 0) && !used.get(p)) {
                return take(ip, p, dontFragment);
            }
        }
        return null;
    }

    @Override
    public RelayEndpoint[] openPair(AddressFamily family, boolean dontFragment) {
        InetAddress ip = address(family);
        if (ip == null) {
            return null;
        }
        BitSet used = used(family);
        for (int p = (min(family) + 1) & ~1; p + 1 <= max(family); p += 2) {
            if (!used.get(p) && !used.get(p + 1)) {
                return new RelayEndpoint[] {take(ip, p, dontFragment), take(ip, p + 1, dontFragment)};
            }
        }
        return null;
    }

    @Override
    public boolean supports(AddressFamily family) {
        return address(family) != null;
    }

    @Override
    public void close(RelayEndpoint relay) {
        if (!(relay instanceof FakeRelay r) || !opened.contains(r) || r.closed) {
            badCloses++;
            return;
        }
        r.closed = true;
        closed.add(r);
        used(AddressFamily.of(r.address.getAddress())).clear(r.port());
    }

    /** Endpoints opened and not closed. */
    int openCount() {
        return opened.size() - closed.size();
    }

    List<FakeRelay> live() {
        return opened.stream().filter(r -> !r.closed).toList();
    }

    FakeRelay last() {
        return opened.get(opened.size() - 1);
    }

    private FakeRelay take(InetAddress ip, int port, boolean df) {
        used(AddressFamily.of(ip)).set(port);
        FakeRelay r = new FakeRelay(new InetSocketAddress(ip, port), df);
        opened.add(r);
        return r;
    }

    private InetAddress address(AddressFamily f) {
        return f == AddressFamily.IPV4 ? v4 : v6;
    }

    private BitSet used(AddressFamily f) {
        return f == AddressFamily.IPV4 ? used4 : used6;
    }

    private int min(AddressFamily f) {
        return f == AddressFamily.IPV4 ? min4 : min6;
    }

    private int max(AddressFamily f) {
        return f == AddressFamily.IPV4 ? max4 : max6;
    }
}
