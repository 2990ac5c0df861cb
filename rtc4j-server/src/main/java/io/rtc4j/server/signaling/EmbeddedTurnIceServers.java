package io.rtc4j.server.signaling;

import io.rtc4j.signaling.IceServer;
import io.rtc4j.signaling.IceServersProvider;
import io.rtc4j.signaling.PeerId;
import io.rtc4j.signaling.RoomId;
import io.rtc4j.turn.TurnCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * ICE servers for a joined peer: STUN and TURN (UDP, TCP, and TURNS with a real certificate) of the embedded
 * server with fresh TURN REST credentials (draft-uberti-behave-turn-rest §2.2, as {@code ./rtc4j
 * turn-credentials} mints them), then any configured external servers.
 */
final class EmbeddedTurnIceServers implements IceServersProvider {
    private final byte[] secret;
    private final String fixedHost;
    private final int port;
    private final int tlsPort;
    private final Duration ttl;
    private final List<IceServer> extra;

    EmbeddedTurnIceServers(byte[] secret, String fixedHost, int port, int tlsPort, Duration ttl, List<IceServer> extra) {
        this.secret = secret.clone();
        this.fixedHost = fixedHost;
        this.port = port;
        this.tlsPort = tlsPort;
        this.ttl = ttl;
        this.extra = List.copyOf(extra);
    }

    @Override
    public List<IceServer> iceServers(RoomId room, PeerId peer, String requestHost, Instant now) {
        String host = fixedHost != null ? fixedHost : requestHost != null ? requestHost : "127.0.0.1";
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        TurnCredentials c = TurnCredentials.mint(secret, userName(peer.value()), ttl, now);
        List<String> turnUrls = new ArrayList<>(List.of(
                "turn:" + host + ":" + port + "?transport=udp", "turn:" + host + ":" + port + "?transport=tcp"));
        if (tlsPort > 0) {
            turnUrls.add("turns:" + host + ":" + tlsPort + "?transport=tcp");
        }
        List<IceServer> out = new ArrayList<>();
        out.add(IceServer.stun("stun:" + host + ":" + port));
        out.add(new IceServer(turnUrls, c.username(), c.password()));
        out.addAll(extra);
        return out;
    }

    /** The peer id as the user part of the TURN user name, reduced to characters no client mangles. */
    static String userName(String peer) {
        StringBuilder b = new StringBuilder(peer.length());
        for (int i = 0; i < peer.length() && b.length() < 64; i++) {
            char c = peer.charAt(i);
            b.append(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' ? c : '_');
        }
        return b.toString();
    }
}
