package io.rtc4j.ice.net;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.turn.DefaultPeerAddressPolicy;
import io.rtc4j.turn.QuotaPolicy;
import io.rtc4j.turn.StaticUserAuthenticator;
import io.rtc4j.turn.TurnMetrics;
import io.rtc4j.turn.TurnServerConfig;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.net.TurnServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/** rtc4j's TURN server in-process on 127.0.0.1, relaying to loopback peers (coturn's --allowed-peer-ip 127.0.0.1). */
final class LoopbackTurnServer implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "wonderland";

    private TurnServer server;

    LoopbackTurnServer() throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) { // a free port can be taken before the server binds it
            try {
                server = start(FreePorts.udpAndTcp());
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static TurnServer start(int port) throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        FreePorts.PortRange relays = FreePorts.relayRange(200);
        return TurnServer.start(
                new io.rtc4j.turn.net.TurnServerSettings(List.of(lo), port, 0, lo, null, null, relays.min(), relays.max(), 1, 1 << 20),
                TurnServerConfig.defaults("rtc4j.test"),
                new StaticUserAuthenticator(Map.of(USER, PASSWORD)),
                DefaultPeerAddressPolicy.builder().allow("127.0.0.0/8").build(),
                QuotaPolicy.unlimited(),
                null,
                new TurnMetrics());
    }

    InetSocketAddress address() {
        return server.udpAddresses().getFirst();
    }

    TurnClientConfig client() {
        return TurnClientConfig.builder(USER, PASSWORD).build();
    }

    TurnMetrics metrics() {
        return server.metrics();
    }

    @Override
    public void close() {
        server.close();
    }
}
