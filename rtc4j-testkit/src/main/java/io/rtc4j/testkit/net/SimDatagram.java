package io.rtc4j.testkit.net;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Objects;

/**
 * A datagram as a socket receives it: the source as seen after any NAT, the local destination, the payload (a
 * fresh copy per delivery, the receiver may keep or change it) and the virtual instant it arrived.
 */
public record SimDatagram(InetSocketAddress source, InetSocketAddress destination, byte[] data, Instant at) {
    public SimDatagram {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(at, "at");
    }

    /** The payload as a buffer over {@link #data()} (no copy). */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(data);
    }

    @Override
    public String toString() {
        return "SimDatagram[" + source + " -> " + destination + ", " + data.length + " B, at " + at + "]";
    }
}
