package io.rtc4j.ice;

import io.rtc4j.stun.AddressFamily;
import io.rtc4j.testkit.net.SimHost;
import io.rtc4j.testkit.net.SimNetwork;
import io.rtc4j.testkit.net.SimSocket;
import io.rtc4j.testkit.net.SimTimer;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.FiveTuple;
import io.rtc4j.turn.NonceService;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.RelayAllocator;
import io.rtc4j.turn.RelayEndpoint;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TransportProtocol;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnOutput;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.TurnServerContext;
import io.rtc4j.turn.TurnServerEngine;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;

/** rtc4j's real TURN server engine on a public host of the virtual network, with sim sockets as relays. */
final class SimTurnServer implements SimTimer, RelayAllocator {
    private final SimHost host;
    private final SimSocket listener;
    private final TurnServerEngine engine;
    private Instant deadline = Instant.MAX;
    private int nextPort = 49152;

    private record Relay(SimSocket socket) implements RelayEndpoint {
        @Override
        public InetSocketAddress address() {
            return socket.localAddress();
        }
    }

    SimTurnServer(SimNetwork net) {
        host = net.internet().addHost("turn", "198.51.100.2");
        listener = host.bind(3478);
        // the simulated "public" peers live in documentation ranges: let the server relay to them
        engine = new TurnServerEngine(new TurnServerContext(TurnServerConfig.defaults("sim"),
                new StaticUserAuthenticator(Map.of("u", "p")), new NonceService(new byte[32]),
                DefaultPeerAddressPolicy.builder().denySpecialPurpose(false).build(), QuotaPolicy.unlimited(), this,
                new SplittableRandom(5), new TurnMetrics()));
        listener.onReceive(d -> {
            engine.handleClientInput(d.at(), new FiveTuple(TransportProtocol.UDP, d.source(), listener.localAddress()),
                    ByteBuffer.wrap(d.data()));
            drain();
        });
    }

    InetSocketAddress address() {
        return listener.localAddress();
    }

    private void drain() {
        for (int i = 0; i < 10_000; i++) {
            switch (engine.pollOutput()) {
                case TurnOutput.ToClient c -> listener.send(c.tuple().client(), c.data());
                case TurnOutput.ToPeer p -> ((Relay) p.relay()).socket().send(p.peer(), p.data());
                case TurnOutput.Timeout t -> {
                    deadline = t.at();
                    return;
                }
                default -> {}
            }
        }
        throw new IllegalStateException("engine never returned Timeout");
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public void fire(Instant now) {
        engine.handleTimeout(now);
        drain();
    }

    @Override
    public RelayEndpoint open(AddressFamily family, boolean evenPort, boolean dontFragment) {
        Relay r = new Relay(host.bind(nextPort++));
        r.socket().onReceive(d -> {
            engine.handlePeerInput(d.at(), r, d.source(), ByteBuffer.wrap(d.data()));
            drain();
        });
        return r;
    }

    @Override
    public RelayEndpoint[] openPair(AddressFamily family, boolean dontFragment) {
        return null; // EVEN-PORT pairs are not needed by ICE
    }

    @Override
    public boolean supports(AddressFamily family) {
        return family == AddressFamily.IPV4;
    }

    @Override
    public void close(RelayEndpoint relay) {
        ((Relay) relay).socket().close();
    }
}
