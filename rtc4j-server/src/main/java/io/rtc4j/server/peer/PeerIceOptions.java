package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcIceServer;
import io.rtc4j.peer.RtcPeerConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The ICE options both {@code peer} subcommands take; turned into one validated {@link RtcConfiguration}. */
final class PeerIceOptions {
    @Option(names = "--ice-server", description = "stun:host:port, turn:host:port?transport=udp|tcp or turns:host:port (repeatable).")
    List<String> iceServers = new ArrayList<>();

    @Option(names = "--ice-username", description = "Username for the turn:/turns: servers.")
    String username;

    @Option(names = "--ice-credential", description = "Credential (password) for the turn:/turns: servers.")
    String credential;

    @Option(names = "--relay-only", description = "iceTransportPolicy relay: only relayed candidates.")
    boolean relayOnly;

    @Option(names = "--bind-address", description = "rtc4j extension: bind only this host address (repeatable). "
            + "Default: every usable interface (127.0.0.1 in a loopback-only namespace).")
    List<String> bindAddresses = new ArrayList<>();

    /** Throws IllegalArgumentException with the reason when an option is unusable. */
    RtcConfiguration configuration() {
        return builder().build();
    }

    /** The options as a builder, for commands that add to them (e.g. a certificate of their own). */
    RtcConfiguration.Builder builder() {
        RtcConfiguration.Builder b = RtcConfiguration.builder();
        for (String url : iceServers) {
            boolean turn = url.startsWith("turn:") || url.startsWith("turns:");
            b.iceServer(turn ? RtcIceServer.turn(url, username, credential) : RtcIceServer.stun(url));
        }
        for (String a : bindAddresses) {
            try {
                b.bindAddress(InetAddress.getByName(a));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--bind-address does not resolve: " + a);
            }
        }
        if (!bindAddresses.isEmpty()) {
            b.ipv6(bindAddresses.stream().anyMatch(a -> a.contains(":")));
        }
        b.iceTransportPolicy(relayOnly ? RtcConfiguration.IceTransportPolicy.RELAY : RtcConfiguration.IceTransportPolicy.ALL);
        return b;
    }

    /** stuns: URLs parse but are not used: say so on stderr. */
    static void warnUnused(RtcConfiguration config) {
        try (RtcPeerConnection probe = RtcPeerConnection.create(config)) {
            if (!probe.unusedIceServers().isEmpty()) {
                System.err.println("rtc4j peer: ICE servers not used: " + probe.unusedIceServers());
            }
        }
    }
}
