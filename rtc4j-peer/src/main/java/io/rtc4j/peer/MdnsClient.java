package io.rtc4j.peer;

import io.rtc4j.ice.mdns.MdnsResolver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.NetworkInterface;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The driver of rtc4j-ice's sans-IO {@link MdnsResolver} for one connection: one-shot queries (RFC 6762 §5.1)
 * to 224.0.0.251:5353 from a socket that also receives the multicast answers (see {@link #open()}), on one virtual thread
 * that exists only once the peer sent a {@code .local} candidate. Results go to the listener (on this
 * thread; it posts them to the connection's thread).
 */
final class MdnsClient implements AutoCloseable {
    interface Listener {
        /** {@code address} is null when the name did not resolve. */
        void resolved(String name, InetAddress address);
    }

    private final Listener listener;
    private final InstantSource clock;
    private final ConcurrentLinkedQueue<String> requests = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile DatagramSocket socket;

    MdnsClient(Listener listener, InstantSource clock) {
        this.listener = listener;
        this.clock = clock;
        this.thread = Thread.ofVirtual().name("rtc4j-mdns").start(this::run);
    }

    void resolve(String name) {
        requests.add(name);
    }

    private void run() {
        MdnsResolver resolver = new MdnsResolver(false);
        try (DatagramSocket s = open()) {
            socket = s;
            s.setSoTimeout(50);
            byte[] buf = new byte[9000];
            while (running) {
                String name;
                while ((name = requests.poll()) != null) {
                    resolver.resolve(clock.instant(), name);
                }
                resolver.handleTimeout(clock.instant());
                for (int i = 0; i < 10_000; i++) {
                    MdnsResolver.Output o = resolver.pollOutput();
                    if (o instanceof MdnsResolver.Output.Timeout) {
                        break;
                    }
                    switch (o) {
                        case MdnsResolver.Output.Transmit t -> {
                            byte[] b = new byte[t.data().remaining()];
                            t.data().get(b);
                            try {
                                s.send(new DatagramPacket(b, b.length, t.to()));
                            } catch (IOException e) {
                                // no multicast route: the query times out and the candidate is dropped
                            }
                        }
                        case MdnsResolver.Output.Resolved r -> listener.resolved(r.name(), r.address());
                        case MdnsResolver.Output.ResolveFailed f -> listener.resolved(f.name(), null);
                        case MdnsResolver.Output.Timeout t -> {}
                    }
                }
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    s.receive(p);
                    resolver.handleInput(clock.instant(), (InetSocketAddress) p.getSocketAddress(),
                            ByteBuffer.wrap(buf, 0, p.getLength()));
                } catch (SocketTimeoutException e) {
                    // time to look at the timers again
                }
            }
        } catch (IOException e) {
            // socket closed or unavailable: pending names fail by silence
        }
    }

    /**
     * The mDNS port shared with other responders on this host (SO_REUSEADDR) and joined to 224.0.0.251 on every
     * multicast interface, so multicast answers reach us too (responders such as Chromium's answer that way);
     * an ephemeral port (unicast answers only, RFC 6762 §6.7) if 5353 cannot be had.
     */
    private static DatagramSocket open() throws IOException {
        MulticastSocket m = new MulticastSocket(null);
        try {
            m.setReuseAddress(true);
            m.bind(new InetSocketAddress(MdnsResolver.GROUP_V4.getPort()));
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                try {
                    if (nif.isUp() && nif.supportsMulticast()
                            && nif.inetAddresses().anyMatch(a -> a instanceof java.net.Inet4Address)) {
                        m.joinGroup(MdnsResolver.GROUP_V4, nif);
                    }
                } catch (IOException e) {
                    // this interface cannot join: the others still can
                }
            }
            return m;
        } catch (IOException e) {
            m.close();
            return new DatagramSocket(0);
        }
    }

    @Override
    public void close() {
        running = false;
        DatagramSocket s = socket;
        if (s != null) {
            s.close();
        }
        thread.interrupt();
    }
}
