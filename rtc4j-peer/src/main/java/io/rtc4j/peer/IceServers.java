package io.rtc4j.peer;

import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.turn.client.TurnClientConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * The servers of a {@link RtcConfiguration} that the UDP driver can use, with their names resolved once (at
 * construction, so a bad name fails early): {@code stun:} and {@code turn:...?transport=udp}. TURN over TCP or
 * TLS ({@code transport=tcp}, {@code turns:}) and {@code stuns:} are valid but not used by this driver yet;
 * they are listed in {@link #skipped}.
 */
record IceServers(List<InetSocketAddress> stun, List<Turn> turn, List<String> skipped) {
    record Turn(InetSocketAddress server, TurnClientConfig client) {}

    static IceServers resolve(RtcConfiguration config) {
        List<InetSocketAddress> stun = new ArrayList<>();
        List<Turn> turn = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (RtcIceServer s : config.iceServers()) {
            for (IceServerUrl u : s.parsedUrls()) {
                boolean relayOnly = config.iceTransportPolicy() == RtcConfiguration.IceTransportPolicy.RELAY;
                switch (u.scheme()) {
                    case STUN -> {
                        if (!relayOnly) {
                            stun.add(address(u));
                        }
                    }
                    case TURN -> {
                        if (u.transport() == IceServerUrl.Transport.UDP) {
                            turn.add(new Turn(address(u), TurnClientConfig.builder(s.username(), s.credential()).build()));
                        } else {
                            skipped.add(u.toString());
                        }
                    }
                    case STUNS, TURNS -> skipped.add(u.toString());
                }
            }
        }
        return new IceServers(List.copyOf(stun), List.copyOf(turn), List.copyOf(skipped));
    }

    /** The UDP driver's settings for one connection: bind addresses, these servers, the transport policy. */
    IceUdpConfig iceConfig(RtcConfiguration config, IceRole role, IceCredentials credentials, InstantSource clock,
            RandomGenerator random) {
        IceUdpConfig.Builder b = IceUdpConfig.builder(role)
                .credentials(credentials)
                .ipv6(config.ipv6())
                .relayOnly(config.iceTransportPolicy() == RtcConfiguration.IceTransportPolicy.RELAY)
                .clock(clock)
                .random(random);
        config.bindAddresses().forEach(b::hostAddress);
        stun.forEach(b::stunServer);
        turn.forEach(t -> b.turnServer(t.server(), t.client()));
        return b.build();
    }

    private static InetSocketAddress address(IceServerUrl u) {
        try {
            return new InetSocketAddress(InetAddress.getByName(u.host()), u.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve ICE server " + u + ": " + e.getMessage(), e);
        }
    }
}
