package io.rtc4j.signaling;

import java.time.Instant;
import java.util.List;

/** Gives a joined peer its ICE servers, e.g. fresh TURN REST credentials for the embedded TURN server. */
@FunctionalInterface
public interface IceServersProvider {
    IceServersProvider NONE = (room, peer, host, now) -> List.of();

    /**
     * @param requestHost the host the client reached the server by (the HTTP Host header without port, IPv6
     *     in brackets), so that URLs name an address the client can reach; null if unknown
     */
    List<IceServer> iceServers(RoomId room, PeerId peer, String requestHost, Instant now);
}
