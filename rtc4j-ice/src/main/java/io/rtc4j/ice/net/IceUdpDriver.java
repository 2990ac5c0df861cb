package io.rtc4j.ice.net;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.IceAgent;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceGatherer;
import io.rtc4j.ice.IceTurnRelay;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real UDP driver of one {@link IceAgent}: one non-blocking {@link DatagramChannel} per host candidate
 * (every usable interface address, see {@link IceUdpConfig}), an {@link IceGatherer} for host and
 * server-reflexive candidates, an {@link IceTurnRelay} per TURN server and host socket of its family, all on
 * one event-loop thread that also fires the engines' deadlines.
 *
 * <p>What arrives is sorted by the RFC 7983 first byte: STUN goes to the gatherer, the relays or the agent;
 * TURN ChannelData to the relays; DTLS, RTP/RTCP and the rest to {@link IceDriverListener#onDatagram}, so
 * DTLS and SRTP can share the 5-tuple. {@link #send} writes application datagrams on the selected pair.
 *
 * <p>Thread-safety: every public method may be called from any thread (see {@link IceConnection}); the
 * listener runs on the driver's thread only. {@link #close()} closes every socket and ends the thread.
 */
public final class IceUdpDriver implements IceConnection {
    private final UdpEventLoop loop;
    private final IceSession session;
    private final List<InetSocketAddress> hostAddresses;

    private IceUdpDriver(UdpEventLoop loop, IceSession session, List<InetSocketAddress> hostAddresses) {
        this.loop = loop;
        this.session = session;
        this.hostAddresses = hostAddresses;
    }

    /**
     * Binds the host sockets and starts the thread; gathering begins at once and candidates arrive as
     * {@link IceDriverEvent.CandidateGathered} events. Fails without leaving a socket open.
     */
    public static IceUdpDriver start(IceUdpConfig config, IceDriverListener listener) throws IOException {
        List<InetAddress> addresses = HostAddresses.select(config);
        if (addresses.isEmpty()) {
            throw new IOException("no usable host address (and no loopback)");
        }
        DriverCounters counters = new DriverCounters();
        Map<InetSocketAddress, DatagramChannel> channels = new HashMap<>();
        List<InetSocketAddress> bases = new ArrayList<>();
        UdpEventLoop loop = null;
        try {
            for (InetAddress a : addresses) {
                DatagramChannel ch = DatagramChannel.open(
                        a instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
                try {
                    ch.setOption(StandardSocketOptions.SO_RCVBUF, config.socketBufferBytes());
                    ch.setOption(StandardSocketOptions.SO_SNDBUF, config.socketBufferBytes());
                    ch.bind(new InetSocketAddress(a, config.port()));
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
                InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
                channels.put(local, ch);
                bases.add(local);
            }
            loop = new UdpEventLoop("rtc4j-ice-udp" + bases.getFirst(), config.clock(), config.maxDatagramSize(),
                    config.sendQueueCapacity(), counters);
            UdpEventLoop l = loop;
            IceCredentials credentials = config.credentials() != null
                    ? config.credentials()
                    : IceCredentials.random(config.random());
            IceAgent agent = new IceAgent(config.agent(), credentials, config.random());
            IceGatherer gatherer = new IceGatherer(bases, config.relayOnly() ? List.of() : config.stunServers(),
                    config.component(), config.random());
            IceSession.Transport transport = (from, to, data) -> {
                DatagramChannel ch = channels.get(from);
                if (ch == null) {
                    return false;
                }
                try {
                    return ch.send(data, to) > 0;
                } catch (IOException | RuntimeException e) {
                    return false; // unreachable, closed, or a family mismatch: counted by the caller
                }
            };
            IceSession session = new IceSession(l, agent, gatherer, config.relayOnly(), transport, listener, counters,
                    to -> {}, () -> {});
            int relayIndex = 0;
            for (IceUdpConfig.TurnServerEntry t : config.turnServers()) {
                boolean v4 = t.server().getAddress() instanceof Inet4Address;
                for (InetSocketAddress base : bases) {
                    if ((base.getAddress() instanceof Inet4Address) == v4) {
                        relayIndex++;
                        session.addRelay(new IceTurnRelay(base, t.server(), t.client(), config.component(),
                                "r" + relayIndex, config.random()), t.server());
                    }
                }
            }
            for (DatagramChannel ch : channels.values()) {
                loop.register(ch, session::received);
            }
            loop.addTimer(session);
            IceUdpDriver driver = new IceUdpDriver(loop, session, List.copyOf(bases));
            if (!loop.execute(() -> session.start(l.now()))) {
                throw new IOException("could not schedule gathering");
            }
            loop.start();
            return driver;
        } catch (IOException | RuntimeException e) {
            for (DatagramChannel ch : channels.values()) {
                ch.close();
            }
            if (loop != null) {
                loop.close();
            }
            throw e;
        }
    }

    /** The bound host sockets' addresses (the bases of the host candidates). */
    public List<InetSocketAddress> hostAddresses() {
        return hostAddresses;
    }

    /** True while the driver's thread runs (false after {@link #close()}). */
    public boolean isRunning() {
        return loop.threadAlive();
    }

    @Override
    public IceCredentials localCredentials() {
        return session.localCredentials();
    }

    @Override
    public List<IceCandidate> localCandidates() {
        return session.localCandidates();
    }

    @Override
    public void setRemoteCredentials(IceCredentials remote) {
        session.setRemoteCredentials(remote);
    }

    @Override
    public void addRemoteCandidate(IceCandidate candidate) {
        session.addRemoteCandidate(candidate);
    }

    @Override
    public void endOfRemoteCandidates() {
        session.endOfRemoteCandidates();
    }

    @Override
    public boolean send(ByteBuffer data) {
        return session.send(data);
    }

    @Override
    public IceConnectionState state() {
        return session.state();
    }

    @Override
    public Optional<CandidatePair> selectedPair() {
        return session.selectedPair();
    }

    @Override
    public IceDriverStats stats() {
        return session.stats();
    }

    /**
     * Closes the agent and every socket and ends the thread (waiting up to 5 s unless called from it). TURN
     * allocations are not deleted (IceTurnRelay has no Refresh-with-lifetime-0 yet): they expire on the server.
     */
    @Override
    public void close() {
        loop.close();
        session.close(); // the loop has ended: the agent is closed on this thread
    }
}
