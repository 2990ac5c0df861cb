package io.rtc4j.ice.net;

import io.rtc4j.stun.PacketKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The application side of a driver. Both methods run on the driver's event-loop thread, never on the
 * caller's; they must not block. An exception thrown here is counted ({@link IceDriverStats#listenerErrors})
 * and the loop goes on.
 */
public interface IceDriverListener {
    void onEvent(IceDriverEvent event);

    /**
     * A datagram that is not ICE's (RFC 7983: DTLS, RTP/RTCP, ZRTP, QUIC) arrived at {@code local} (a host
     * socket or our relayed address) from {@code remote}, a peer address that has passed an authenticated
     * connectivity check (datagrams from anyone else are dropped and counted). {@code data} is only valid during the call: the
     * driver reuses the buffer, so copy what must outlive it.
     */
    default void onDatagram(PacketKind kind, InetSocketAddress local, InetSocketAddress remote, ByteBuffer data) {}
}
