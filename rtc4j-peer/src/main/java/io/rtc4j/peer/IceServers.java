package io.rtc4j.peer;

import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.ice.net.TurnUri;
import io.rtc4j.turn.TransportProtocol;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.time.InstantSource;
import java.util.random.RandomGenerator;

/**
 * The servers of a {@link RtcConfiguration} that the ICE driver uses, with their names resolved once (at
 * construction, so a bad name fails early): {@code stun:}, and {@code turn:} over UDP or TCP and
 * {@code turns:} (TLS with the JDK's default trust, verifying the URL's host; RFC 7065). {@code stuns:} is valid
 * but not used (STUN over TLS gives nothing ICE needs); it is listed in {@link #skipped}.
 */
record IceServers(List<InetSocketAddress> stun, List<IceUdpConfig.TurnServerEntry> turn, List<String> skipped) {
    static IceServers resolve(RtcConfiguration config) {
        List<InetSocketAddress> stun = new ArrayList<>();
        List<IceUdpConfig.TurnServerEntry> turn = new ArrayList<>();
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
                    case TURN, TURNS -> {
                        TransportProtocol transport = u.scheme() == IceServerUrl.Scheme.TURNS ? TransportProtocol.TLS
                                : u.transport() == IceServerUrl.Transport.TCP ? TransportProtocol.TCP : TransportProtocol.UDP;
                        TurnUri uri = new TurnUri(u.host(), u.port(), transport);
                        turn.add(IceUdpConfig.TurnServerEntry.of(uri, address(u).getAddress(), s.username(), s.credential()));
                    }
                    case STUNS -> skipped.add(u.toString());
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
        turn.forEach(b::turnServer);
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
