package io.rtc4j.ice.net;

import io.rtc4j.ice.IceAgent;
import io.rtc4j.ice.IceAgentConfig;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceGatherer;
import io.rtc4j.stun.StunCodec;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shared-port ICE for servers: one UDP socket, many agents (an SFU's or a WHIP endpoint's). A datagram from a
 * known remote 5-tuple goes to its agent; from an unknown one, only a Binding request can open the way: its
 * USERNAME names the recipient's ufrag (RFC 8445 §7.2.2), and once that agent has accepted the check
 * (authenticated by MESSAGE-INTEGRITY) the 5-tuple is remembered. Checks our agents send remember their
 * destination too, so the answers find their way back. The 5-tuple table is bounded and entries expire, so a
 * flood from many source ports only costs counted drops.
 *
 * <p>Every agent has one host candidate, the shared socket's address. Thread-safety as in
 * {@link IceConnection}; all agents and their listeners run on the mux's one thread.
 */
public final class IceUdpMux implements AutoCloseable {
    private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    private static final int BINDING_REQUEST = 0x0001;
    private static final int USERNAME = 0x0006;

    private final IceUdpMuxConfig config;
    private final UdpEventLoop loop;
    private final DatagramChannel channel;
    private final InetSocketAddress local;
    private final DriverCounters counters;
    private final Map<String, IceSession> byUfrag = new ConcurrentHashMap<>();
    private final SourceTable<IceSession> sources;
    private volatile int sourceCount;

    private IceUdpMux(IceUdpMuxConfig config, UdpEventLoop loop, DatagramChannel channel, InetSocketAddress local,
            DriverCounters counters) {
        this.config = config;
        this.loop = loop;
        this.channel = channel;
        this.local = local;
        this.counters = counters;
        this.sources = new SourceTable<>(config.maxSources(), config.sourceIdleTimeout());
    }

    /** Binds the socket and starts the thread; fails without leaving it open. */
    public static IceUdpMux start(IceUdpMuxConfig config) throws IOException {
        DatagramChannel ch = DatagramChannel.open(
                config.bind().getAddress() instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        UdpEventLoop loop = null;
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, config.socketBufferBytes());
            ch.setOption(StandardSocketOptions.SO_SNDBUF, config.socketBufferBytes());
            ch.bind(config.bind());
            InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
            DriverCounters counters = new DriverCounters();
            loop = new UdpEventLoop("rtc4j-ice-mux" + local, config.clock(), config.maxDatagramSize(),
                    config.taskQueueCapacity(), counters);
            IceUdpMux mux = new IceUdpMux(config, loop, ch, local, counters);
            loop.register(ch, mux::received);
            loop.addTimer(mux.new Sweeper());
            loop.start();
            return mux;
        } catch (IOException | RuntimeException e) {
            ch.close();
            if (loop != null) {
                loop.close();
            }
            throw e;
        }
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /**
     * Adds an agent whose local ufrag is {@code credentials.ufrag()} (unique in this mux). Its host candidate
     * (the shared address) arrives as an {@link IceDriverEvent.CandidateGathered} event, followed by
     * {@link IceDriverEvent.GatheringCompleted}. Closing the returned connection removes the agent.
     *
     * @throws IllegalArgumentException when the ufrag is taken
     * @throws IllegalStateException when the mux is full or closed
     */
    public IceConnection addAgent(IceAgentConfig agentConfig, IceCredentials credentials, IceDriverListener listener) {
        if (!loop.threadAlive()) {
            throw new IllegalStateException("the mux is closed");
        }
        if (byUfrag.size() >= config.maxAgents()) {
            throw new IllegalStateException("the mux has " + config.maxAgents() + " agents already");
        }
        IceAgent agent = new IceAgent(agentConfig, credentials, config.random());
        IceGatherer gatherer = new IceGatherer(List.of(local), List.of(), 1, config.random());
        IceSession[] self = new IceSession[1];
        IceSession.Transport transport = (from, to, data) -> {
            try {
                return channel.send(data, to) > 0;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        };
        IceSession session = new IceSession(loop, agent, gatherer, false, transport, listener, new DriverCounters(),
                to -> {
                    sources.put(to, self[0], loop.now());
                    sourceCount = sources.size();
                },
                () -> {
                    byUfrag.remove(credentials.ufrag(), self[0]);
                    sources.removeValue(self[0]);
                    sourceCount = sources.size();
                    loop.removeTimer(self[0]);
                });
        self[0] = session;
        if (byUfrag.putIfAbsent(credentials.ufrag(), session) != null) {
            throw new IllegalArgumentException("ufrag already in use: " + credentials.ufrag());
        }
        if (!loop.execute(() -> {
            loop.addTimer(session);
            session.start(loop.now());
        })) {
            byUfrag.remove(credentials.ufrag(), session);
            throw new IllegalStateException("the mux is busy or closed");
        }
        return session;
    }

    /** Agents currently registered. */
    public int agentCount() {
        return byUfrag.size();
    }

    /** Socket-level counters (per-agent ones are in each connection's stats) and the 5-tuple table size. */
    public IceDriverStats stats() {
        return counters.snapshot(sourceCount);
    }

    public boolean isRunning() {
        return loop.threadAlive();
    }

    /** Closes every agent and the socket and ends the thread. */
    @Override
    public void close() {
        loop.close();
        for (IceSession s : byUfrag.values()) {
            s.close(); // the loop has ended: closed on this thread
        }
        byUfrag.clear();
    }

    // ---- loop thread ----

    private void received(Instant now, InetSocketAddress at, InetSocketAddress source, ByteBuffer data) {
        IceSession owner = sources.get(source, now);
        if (owner != null) {
            owner.received(now, at, source, data);
            return;
        }
        String ufrag = recipientUfrag(data);
        IceSession target = ufrag == null ? null : byUfrag.get(ufrag);
        if (target == null || target.isClosed()) {
            counters.unrouted.increment();
            return;
        }
        if (target.received(now, at, source, data)) {
            sources.put(source, target, now); // authenticated: this 5-tuple is the agent's now
            sourceCount = sources.size();
        }
    }

    /**
     * The recipient's ufrag from a Binding request's USERNAME "RFRAG:LFRAG" (RFC 8445 §7.2.2), or null. A
     * bounded scan over the attributes without decoding the message; the agent authenticates it afterwards.
     */
    static String recipientUfrag(ByteBuffer d) {
        int p = d.position();
        int n = d.remaining();
        if (n < StunCodec.HEADER_LENGTH || (d.getShort(p) & 0xFFFF) != BINDING_REQUEST
                || d.getInt(p + 4) != StunCodec.MAGIC_COOKIE) {
            return null;
        }
        int end = p + StunCodec.HEADER_LENGTH + (d.getShort(p + 2) & 0xFFFF);
        if (end > p + n) {
            return null;
        }
        int off = p + StunCodec.HEADER_LENGTH;
        while (off + 4 <= end) {
            int type = d.getShort(off) & 0xFFFF;
            int length = d.getShort(off + 2) & 0xFFFF;
            if (off + 4 + length > end) {
                return null;
            }
            if (type == USERNAME) {
                for (int i = 0; i < length; i++) {
                    if (d.get(off + 4 + i) == ':') {
                        byte[] ufrag = new byte[i];
                        d.get(off + 4, ufrag);
                        return new String(ufrag, StandardCharsets.US_ASCII);
                    }
                }
                return null;
            }
            off += 4 + ((length + 3) & ~3);
        }
        return null;
    }

    /** Forgets idle 5-tuples once a second. */
    private final class Sweeper implements UdpEventLoop.Timed {
        private Instant next = Instant.MIN;

        @Override
        public Instant deadline() {
            return next;
        }

        @Override
        public void fire(Instant now) {
            sources.expire(now);
            sourceCount = sources.size();
            next = now.plus(SWEEP_INTERVAL);
        }
    }
}
