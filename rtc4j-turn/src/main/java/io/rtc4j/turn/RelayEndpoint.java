package io.rtc4j.turn;

import java.net.InetSocketAddress;

/**
 * A relayed transport address opened by a {@link RelayAllocator} (a bound UDP socket in the real driver).
 * The engine compares endpoints by identity.
 */
public interface RelayEndpoint {
    InetSocketAddress address();
}
