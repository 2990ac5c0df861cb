package io.rtc4j.turn;

import io.rtc4j.stun.AddressFamily;

/**
 * Opens and closes relayed transport addresses for the engine. This is the driver's side of allocation:
 * binding a socket is I/O, so the engine asks for it through this policy and never touches a socket. Calls
 * come from the engine's thread.
 */
public interface RelayAllocator {
    /**
     * Opens a relay address of {@code family} on a free port from the configured range, an even one if asked
     * (RFC 8656 §7.2 EVEN-PORT), sending with the IP DF bit when asked (DONT-FRAGMENT, §7.2). Returns null when no port or no address of that family is available (508 or
     * 440 to the client).
     */
    RelayEndpoint open(AddressFamily family, boolean evenPort, boolean dontFragment);

    /**
     * Opens an even port and the port above it (EVEN-PORT with the R bit): element 0 is the even one, element 1
     * is kept for a later Allocate with the RESERVATION-TOKEN. Returns null when no such pair is free.
     */
    RelayEndpoint[] openPair(AddressFamily family, boolean dontFragment);

    /** True when relay addresses of {@code family} can be opened at all. */
    boolean supports(AddressFamily family);

    void close(RelayEndpoint relay);

    /**
     * Takes over a reserved endpoint that another engine's allocator opened (RESERVATION-TOKEN from a client
     * served by another event loop), so that its traffic reaches this engine. Returns the endpoint to use.
     */
    default RelayEndpoint adopt(RelayEndpoint reserved) {
        return reserved;
    }
}
