package io.rtc4j.turn.net;

import io.rtc4j.stun.AddressFamily;
import io.rtc4j.turn.RelayAllocator;
import io.rtc4j.turn.RelayEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/** Binds relay sockets for one event loop's engine and registers them with that loop's selector. */
final class NioRelayAllocator implements RelayAllocator {
    private static final int BIND_ATTEMPTS = 16;

    /** Where relays of one family are bound, what address clients are told, and the free ports there. */
    record RelayAddress(InetAddress bind, InetAddress advertised, PortPool pool) {}

    private final Selector selector;
    private final RelayAddress v4;
    private final RelayAddress v6;
    private final int socketBuffer;

    NioRelayAllocator(Selector selector, RelayAddress v4, RelayAddress v6, int socketBuffer) {
        this.selector = selector;
        this.v4 = v4;
        this.v6 = v6;
        this.socketBuffer = socketBuffer;
    }

    @Override
    public boolean supports(AddressFamily family) {
        return (family == AddressFamily.IPV4 ? v4 : v6) != null;
    }

    @Override
    public RelayEndpoint open(AddressFamily family, boolean evenPort, boolean dontFragment) {
        RelayAddress ra = family == AddressFamily.IPV4 ? v4 : v6;
        if (ra == null) {
            return null;
        }
        List<Integer> busy = new ArrayList<>();
        try {
            for (int i = 0; i < BIND_ATTEMPTS; i++) {
                int port = ra.pool().take(evenPort);
                if (port < 0) {
                    return null;
                }
                UdpRelay relay = bind(ra, port, dontFragment);
                if (relay != null) {
                    return relay;
                }
                busy.add(port); // held by another process: try another, then put it back
            }
            return null;
        } finally {
            busy.forEach(ra.pool()::give);
        }
    }

    @Override
    public RelayEndpoint[] openPair(AddressFamily family, boolean dontFragment) {
        RelayAddress ra = family == AddressFamily.IPV4 ? v4 : v6;
        if (ra == null) {
            return null;
        }
        int port = ra.pool().takePair();
        if (port < 0) {
            return null;
        }
        UdpRelay even = bind(ra, port, dontFragment);
        UdpRelay odd = even == null ? null : bind(ra, port + 1, dontFragment);
        if (odd == null) {
            if (even != null) {
                close(even);
            } else {
                ra.pool().give(port);
            }
            ra.pool().give(port + 1);
            return null;
        }
        return new RelayEndpoint[] {even, odd};
    }

    private UdpRelay bind(RelayAddress ra, int port, boolean dontFragment) {
        DatagramChannel ch = null;
        try {
            ch = DatagramChannel.open(ra.bind() instanceof java.net.Inet6Address
                    ? java.net.StandardProtocolFamily.INET6
                    : java.net.StandardProtocolFamily.INET);
            ch.setOption(StandardSocketOptions.SO_RCVBUF, socketBuffer);
            ch.setOption(StandardSocketOptions.SO_SNDBUF, socketBuffer);
            if (dontFragment) {
                setDontFragment(ch);
            }
            ch.bind(new InetSocketAddress(ra.bind(), port));
            ch.configureBlocking(false);
            UdpRelay relay = new UdpRelay(ch, ra.pool(), port, new InetSocketAddress(ra.advertised(), port));
            relay.key = ch.register(selector, SelectionKey.OP_READ, relay);
            return relay;
        } catch (IOException e) {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
            return null;
        }
    }

    private static void setDontFragment(DatagramChannel ch) {
        try {
            ch.setOption(jdk.net.ExtendedSocketOptions.IP_DONTFRAGMENT, true);
        } catch (UnsupportedOperationException | IOException e) {
            // the platform cannot set DF; the allocation still works (RFC 8656 §7.2 lets DF be best effort here)
        }
    }

    /**
     * Moves a relay reserved on another loop to this loop's selector: its old registration is cancelled
     * (thread-safe), and from now on its datagrams reach this loop's engine.
     */
    @Override
    public RelayEndpoint adopt(RelayEndpoint endpoint) {
        UdpRelay relay = (UdpRelay) endpoint;
        SelectionKey old = relay.key;
        if (old != null && old.selector() == selector) {
            return relay;
        }
        try {
            if (old != null) {
                old.cancel();
            }
            relay.key = relay.channel.register(selector, SelectionKey.OP_READ, relay);
            return relay;
        } catch (java.io.IOException | RuntimeException e) {
            close(relay);
            return null; // 508 to the client
        }
    }

    @Override
    public void close(RelayEndpoint endpoint) {
        UdpRelay relay = (UdpRelay) endpoint;
        try {
            relay.channel.close(); // also cancels its selection key
        } catch (IOException ignored) {
            // closing a UDP socket does not fail in a way we could act on
        }
        relay.pool.give(relay.port);
    }
}
