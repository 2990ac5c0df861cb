package io.rtc4j.turn;

import java.net.InetAddress;

/**
 * Decides which peer addresses a TURN client may reach through a relay, so that a relay does not become a
 * door into the server's own networks (RFC 8656 §21; CVE-2020-26262 is coturn's 0.0.0.0 bypass). The engine
 * asks on CreatePermission and ChannelBind and answers 403 (Forbidden) when refused (RFC 8656 §10.2, §12.2:
 * "the server MAY impose restrictions on the IP address"). Implementations must be thread-safe: one policy is
 * shared by all event loops.
 */
@FunctionalInterface
public interface PeerAddressPolicy {

    /** True if the relay may send to and receive from {@code peer}; false for null. Never throws. */
    boolean isAllowed(InetAddress peer);
}
