package io.rtc4j.peer;

import io.rtc4j.ice.mdns.MdnsResolver;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The driver of rtc4j-ice's sans-IO {@link MdnsResolver} for one connection: one-shot queries (RFC 6762 §5.1)
 * from an ephemeral port to 224.0.0.251:5353, so responders answer by unicast (§6.7), on one virtual thread
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
        try (DatagramSocket s = new DatagramSocket(0)) {
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
