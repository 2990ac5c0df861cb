package io.rtc4j.sctp;

import io.rtc4j.testkit.net.SimHost;
import io.rtc4j.testkit.net.SimNetwork;
import io.rtc4j.testkit.net.SimSocket;
import io.rtc4j.testkit.net.SimTimer;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/** Test driver: one association on a virtual host, packets over the virtual network (as DTLS would carry them). */
final class SimSctpPeer implements SimTimer {
    final SimNetwork net;
    final SctpAssociation association;
    final SimSocket socket;
    final List<SctpEvent> events = new ArrayList<>();
    InetSocketAddress remote;
    Consumer<SctpEvent> listener = e -> {};
    private Instant deadline = Instant.MAX;

    SimSctpPeer(SimNetwork net, SimHost host, SctpConfig config, long seed) {
        this.net = net;
        this.association = new SctpAssociation(config, new SplittableRandom(seed));
        this.socket = host.bind(5000);
        socket.onReceive(d -> {
            association.handleInput(net.now(), d.data());
            drain();
        });
        net.addTimer(this);
    }

    static SimSctpPeer[] pair(SimNetwork net, SctpConfig a, SctpConfig b) {
        SimHost ha = net.internet().addHost("a", "10.0.0.1");
        SimHost hb = net.internet().addHost("b", "10.0.0.2");
        SimSctpPeer pa = new SimSctpPeer(net, ha, a, 1);
        SimSctpPeer pb = new SimSctpPeer(net, hb, b, 2);
        pa.remote = pb.socket.localAddress();
        pb.remote = pa.socket.localAddress();
        return new SimSctpPeer[] {pa, pb};
    }

    SimHost host() {
        return socket.host();
    }

    void drain() {
        for (int i = 0; i < 1_000_000; i++) {
            SctpOutput o = association.pollOutput();
            switch (o) {
                case SctpOutput.Transmit t -> socket.send(remote, t.packet());
                case SctpOutput.Timeout t -> {
                    deadline = t.deadline();
                    return;
                }
                case SctpEvent e -> {
                    events.add(e);
                    listener.accept(e);
                }
            }
        }
        throw new IllegalStateException("output never ended");
    }

    <E extends SctpEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    boolean has(Class<? extends SctpEvent> type) {
        return events.stream().anyMatch(type::isInstance);
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void fire(Instant now) {
        association.handleTimeout(now);
        drain();
    }

    void connect() {
        association.connect(net.now());
        drain();
    }

    void send(int stream, int ppid, byte[] data, SctpSendOptions o) {
        association.send(net.now(), stream, ppid, data, o);
        drain();
    }
}
