package io.rtc4j.peer;

import io.rtc4j.ice.mdns.MdnsResolver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The driver of rtc4j-ice's sans-IO {@link MdnsResolver} for one connection, which exists only once the peer sent
 * a {@code .local} candidate. One-shot queries (RFC 6762 §5.1) go to 224.0.0.251:5353 from an ephemeral port, so
 * responders that answer by unicast (§6.7) answer this connection only; responders that answer by multicast
 * (Chromium's does) reach a second socket on port 5353, shared with the host's other responders (SO_REUSEADDR)
 * and joined to the group on every multicast interface. Two virtual threads receive; the resolver is used under
 * its lock. Results go to the listener, which posts them to the connection's thread.
 */
final class MdnsClient implements AutoCloseable {
    interface Listener {
        /** {@code address} is null when the name did not resolve. */
        void resolved(String name, InetAddress address);
    }

    private static final int RECEIVE_TIMEOUT_MS = 50;

    private final Listener listener;
    private final InstantSource clock;
    private final MdnsResolver resolver = new MdnsResolver(false);
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final Thread unicastThread;
    private final Thread multicastThread;
    private volatile boolean running = true;
    private volatile DatagramSocket unicast;
    private volatile DatagramSocket multicast;

    MdnsClient(Listener listener, InstantSource clock) {
        this.listener = listener;
        this.clock = clock;
        this.unicastThread = Thread.ofVirtual().name("rtc4j-mdns").start(this::runUnicast);
        this.multicastThread = Thread.ofVirtual().name("rtc4j-mdns-group").start(this::runMulticast);
    }

    void resolve(String name) {
        requests.add(name);
    }

    /** Sends the queries, fires the resolver's timers, and receives unicast answers. */
    private void runUnicast() {
        try (DatagramSocket s = new DatagramSocket(0)) {
            unicast = s;
            s.setSoTimeout(RECEIVE_TIMEOUT_MS);
            byte[] buf = new byte[9000];
            while (running) {
                synchronized (resolver) {
                    String name;
                    while ((name = requests.poll()) != null) {
                        resolver.resolve(clock.instant(), name);
                    }
                    resolver.handleTimeout(clock.instant());
                }
                drain();
                receive(s, buf);
            }
        } catch (IOException e) {
            // no socket: pending names fail by silence, their candidates are never paired
        }
    }

    /** Receives multicast answers on the shared mDNS port, when it can be had. */
    private void runMulticast() {
        try (MulticastSocket m = new MulticastSocket(null)) {
            multicast = m;
            m.setReuseAddress(true);
            m.bind(new InetSocketAddress(MdnsResolver.GROUP_V4.getPort()));
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                try {
                    if (nif.isUp() && nif.supportsMulticast() && nif.inetAddresses().anyMatch(a -> a instanceof Inet4Address)) {
                        m.joinGroup(MdnsResolver.GROUP_V4, nif);
                    }
                } catch (IOException e) {
                    // this interface cannot join: the others still can
                }
            }
            m.setSoTimeout(RECEIVE_TIMEOUT_MS);
            byte[] buf = new byte[9000];
            while (running) {
                receive(m, buf);
                drain();
            }
        } catch (IOException e) {
            // the port is taken without address reuse: unicast answers still arrive
        }
    }

    private void receive(DatagramSocket s, byte[] buf) throws IOException {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            s.receive(p);
        } catch (SocketTimeoutException e) {
            return; // time to look at the timers and requests again
        }
        synchronized (resolver) {
            resolver.handleInput(clock.instant(), (InetSocketAddress) p.getSocketAddress(), ByteBuffer.wrap(buf, 0, p.getLength()));
        }
    }

    /** Resolver outputs: queries and our answers go out on the unicast socket, results to the listener. */
    private void drain() {
        for (int i = 0; i < 10_000; i++) {
            MdnsResolver.Output o;
            synchronized (resolver) {
                o = resolver.pollOutput();
            }
            switch (o) {
                case MdnsResolver.Output.Timeout t -> {
                    return;
                }
                case MdnsResolver.Output.Transmit t -> {
                    DatagramSocket s = unicast;
                    byte[] b = new byte[t.data().remaining()];
                    t.data().get(b);
                    try {
                        if (s != null) {
                            s.send(new DatagramPacket(b, b.length, t.to()));
                        }
                    } catch (IOException e) {
                        // no multicast route: the query times out and the candidate is dropped
                    }
                }
                case MdnsResolver.Output.Resolved r -> listener.resolved(r.name(), r.address());
                case MdnsResolver.Output.ResolveFailed f -> listener.resolved(f.name(), null);
            }
        }
    }

    @Override
    public void close() {
        running = false;
        for (DatagramSocket s : new DatagramSocket[] {unicast, multicast}) {
            if (s != null) {
                s.close();
            }
        }
        unicastThread.interrupt();
        multicastThread.interrupt();
    }
}
