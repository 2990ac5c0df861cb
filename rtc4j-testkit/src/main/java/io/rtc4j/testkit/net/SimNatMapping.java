package io.rtc4j.testkit.net;

import java.net.InetSocketAddress;
import java.time.Instant;

/**
 * A snapshot of one live NAT mapping, for assertions.
 *
 * @param remote what the mapping is specific to: null for endpoint-independent mapping, the remote address with
 *     port 0 for address-dependent, the remote address and port for address-and-port-dependent
 * @param refreshed when traffic last refreshed it; it lapses at {@code refreshed + mappingTimeout}
 */
public record SimNatMapping(
        InetSocketAddress internal, InetSocketAddress external, InetSocketAddress remote, Instant refreshed) {}
