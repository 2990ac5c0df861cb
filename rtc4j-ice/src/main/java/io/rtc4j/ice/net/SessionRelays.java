package io.rtc4j.ice.net;

import io.rtc4j.ice.IceTurnRelay;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The TURN relays of one {@link IceSession}, each with its server, its TCP/TLS connection if it has one, whether
 * it is done gathering, and its next deadline. Loop thread only.
 */
final class SessionRelays {
    /** The TCP/TLS connection under a relay (RFC 8656 §3.1): the relay's Transmits are frames to write. */
    interface Stream {
        /** Writes one whole frame (queued until the connection is up); false when it was dropped. */
        boolean write(Instant now, ByteBuffer frame);

        /** Why the connection ended, or null while it has not. */
        String endReason();

        void close();
    }

    static final class Slot {
        final IceTurnRelay relay;
        final InetSocketAddress server;
        final Stream stream; // null: UDP through the host socket
        boolean done;
        Instant deadline = Instant.MAX;

        Slot(IceTurnRelay relay, InetSocketAddress server, Stream stream) {
            this.relay = relay;
            this.server = server;
            this.stream = stream;
        }
    }

    private final List<Slot> slots = new ArrayList<>();

    void add(IceTurnRelay relay, InetSocketAddress server, Stream stream) {
        slots.add(new Slot(relay, server, stream));
    }

    List<Slot> slots() {
        return slots;
    }

    void start(Instant now) {
        for (Slot s : slots) {
            s.relay.start(now);
        }
    }

    void handleTimeout(Instant now) {
        for (Slot s : slots) {
            s.relay.handleTimeout(now);
        }
    }

    /** A datagram from a TURN server to a relay's base: true if a relay took it. */
    boolean input(Instant now, InetSocketAddress local, InetSocketAddress source, ByteBuffer data) {
        for (Slot s : slots) {
            if (s.relay.handleInput(now, local, source, data)) {
                return true;
            }
        }
        return false;
    }

    /** The earlier of {@code d} and every relay's deadline. */
    Instant earliest(Instant d) {
        for (Slot s : slots) {
            if (s.deadline.isBefore(d)) {
                d = s.deadline;
            }
        }
        return d;
    }

    boolean allDone() {
        for (Slot s : slots) {
            if (!s.done) {
                return false;
            }
        }
        return true;
    }

    /** The relay whose relayed address is {@code from}, or null. */
    IceTurnRelay relayFor(InetSocketAddress from) {
        for (Slot s : slots) {
            if (from.equals(s.relay.relayedAddress())) {
                return s.relay;
            }
        }
        return null;
    }
}
