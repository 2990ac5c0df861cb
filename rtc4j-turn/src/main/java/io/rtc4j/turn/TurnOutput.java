package io.rtc4j.turn;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * What the engine asks its driver to do. Buffers are only valid until the next call into the engine:
 * drain {@link TurnServerEngine#pollOutput()} after every input (str0m's rule) and send at once.
 */
public sealed interface TurnOutput {
    /** Send {@code data} to the client over the connection or socket of {@code tuple}. */
    record ToClient(FiveTuple tuple, ByteBuffer data) implements TurnOutput {}

    /** Send {@code data} from the relay address to the peer. */
    record ToPeer(RelayEndpoint relay, InetSocketAddress peer, ByteBuffer data) implements TurnOutput {}

    /** An allocation was created (for logs and metrics). */
    record AllocationCreated(FiveTuple tuple, String username, List<InetSocketAddress> relays, long lifetimeSeconds)
            implements TurnOutput {}

    /** An allocation ended; its relay endpoints are already closed. */
    record AllocationDeleted(FiveTuple tuple, String username, DeleteReason reason) implements TurnOutput {}

    /** Nothing more to do now: call {@link TurnServerEngine#handleTimeout} at {@code at} (or on new input). */
    record Timeout(Instant at) implements TurnOutput {}

    enum DeleteReason {
        EXPIRED,
        CLIENT_REFRESH_ZERO,
        CONNECTION_CLOSED,
        SHUTDOWN
    }
}
