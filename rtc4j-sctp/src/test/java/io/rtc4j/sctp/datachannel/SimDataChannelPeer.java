package io.rtc4j.sctp.datachannel;

import io.rtc4j.sctp.SctpConfig;
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

/** Test driver: one data-channel endpoint on a virtual host. */
final class SimDataChannelPeer implements SimTimer {
    final SimNetwork net;
    final DataChannelEndpoint endpoint;
    final SimSocket socket;
    final List<DataChannelEvent> events = new ArrayList<>();
    InetSocketAddress remote;
    Consumer<DataChannelEvent> listener = e -> {};
    private Instant deadline = Instant.MAX;

    SimDataChannelPeer(SimNetwork net, SimHost host, SctpConfig config, boolean dtlsClient, long seed) {
        this.net = net;
        this.endpoint = new DataChannelEndpoint(config, new SplittableRandom(seed), dtlsClient);
        this.socket = host.bind(5000);
        socket.onReceive(d -> {
            endpoint.handleInput(net.now(), d.data());
            drain();
        });
        net.addTimer(this);
    }

    static SimDataChannelPeer[] pair(SimNetwork net, SctpConfig config) {
        SimDataChannelPeer a = new SimDataChannelPeer(net, net.internet().addHost("a", "10.0.0.1"), config, true, 1);
        SimDataChannelPeer b = new SimDataChannelPeer(net, net.internet().addHost("b", "10.0.0.2"), config, false, 2);
        a.remote = b.socket.localAddress();
        b.remote = a.socket.localAddress();
        return new SimDataChannelPeer[] {a, b};
    }

    void drain() {
        for (int i = 0; i < 1_000_000; i++) {
            switch (endpoint.pollOutput()) {
                case DataChannelOutput.Transmit t -> socket.send(remote, t.packet());
                case DataChannelOutput.Timeout t -> {
                    deadline = t.deadline();
                    return;
                }
                case DataChannelEvent e -> {
                    events.add(e);
                    listener.accept(e);
                }
            }
        }
        throw new IllegalStateException("output never ended");
    }

    <E extends DataChannelEvent> List<E> events(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void fire(Instant now) {
        endpoint.handleTimeout(now);
        drain();
    }
}
