package io.rtc4j.ice.net;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Settings of an {@link IceUdpMux}, validated once.
 *
 * @param bind the one local address all agents share (its port may be 0)
 * @param maxAgents agents at most at once
 * @param maxSources remote 5-tuples remembered at most (least recently used evicted first)
 * @param sourceIdleTimeout a 5-tuple silent this long is forgotten (consent checks every ~5 s keep live ones)
 * @param maxDatagramSize longer datagrams are dropped and counted
 * @param socketBufferBytes SO_RCVBUF and SO_SNDBUF asked for the socket
 * @param taskQueueCapacity calls from other threads queued to the loop at most
 * @param clock the mux's only time source
 * @param random transaction ids and tie-breakers of every agent
 */
public record IceUdpMuxConfig(
        InetSocketAddress bind,
        int maxAgents,
        int maxSources,
        Duration sourceIdleTimeout,
        int maxDatagramSize,
        int socketBufferBytes,
        int taskQueueCapacity,
        InstantSource clock,
        RandomGenerator random) {
    public IceUdpMuxConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(sourceIdleTimeout, "sourceIdleTimeout");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(random, "random");
        if (bind.isUnresolved() || bind.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException("bind a concrete local address (candidates carry it): " + bind);
        }
        if (maxAgents < 1 || maxSources < 1 || taskQueueCapacity < 1) {
            throw new IllegalArgumentException("maxAgents, maxSources and taskQueueCapacity must be >= 1");
        }
        if (sourceIdleTimeout.isNegative() || sourceIdleTimeout.isZero()) {
            throw new IllegalArgumentException("sourceIdleTimeout must be positive");
        }
        if (maxDatagramSize < 576 || maxDatagramSize > 65507) {
            throw new IllegalArgumentException("maxDatagramSize must be 576..65507: " + maxDatagramSize);
        }
        if (socketBufferBytes < 4096) {
            throw new IllegalArgumentException("socketBufferBytes must be >= 4096");
        }
    }

    /** 1024 agents, 16384 sources forgotten after 60 s idle, 2048-byte datagrams, 4 MiB buffers. */
    public static IceUdpMuxConfig defaults(InetSocketAddress bind) {
        return new IceUdpMuxConfig(bind, 1024, 16_384, Duration.ofSeconds(60), 2048, 4 << 20, 4096,
                InstantSource.system(), new SecureRandom());
    }

    public IceUdpMuxConfig withLimits(int maxAgents, int maxSources, Duration sourceIdleTimeout) {
        return new IceUdpMuxConfig(bind, maxAgents, maxSources, sourceIdleTimeout, maxDatagramSize, socketBufferBytes,
                taskQueueCapacity, clock, random);
    }
}
