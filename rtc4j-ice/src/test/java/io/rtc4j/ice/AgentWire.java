package io.rtc4j.ice;

import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A deterministic wire for agents under test: datagrams go to the side that owns the destination address after
 * a per-packet delay (10 ms unless the test says otherwise), unless the test drops them. Sides may send
 * application datagrams on their selected pair every 20 ms, and count what arrives, so a test can prove that
 * data flowed across a restart. Virtual time only; nothing sleeps.
 */
final class AgentWire {
    static final Duration APP_INTERVAL = Duration.ofMillis(20);
    static final byte APP_BYTE = (byte) 0xAA; // RFC 7983: not STUN

    final SimClock clock = new SimClock();
    final List<Side> sides = new ArrayList<>();
    final List<Packet> inFlight = new ArrayList<>();
    Predicate<Packet> drop = p -> false;
    Function<Packet, Duration> delay = p -> Duration.ofMillis(10);

    record Packet(Side sender, InetSocketAddress from, InetSocketAddress to, byte[] data, Instant sentAt) {
        boolean isStun() {
            return data.length > 0 && (data[0] & 0xC0) == 0;
        }
    }

    private record Due(Instant at, Packet packet) {}

    private final List<Due> due = new ArrayList<>();

    /** One agent, the addresses it owns, and what it emitted. */
    final class Side {
        final String name;
        final IceAgent agent;
        final Set<InetSocketAddress> addresses = new HashSet<>();
        final List<IceConnectionState> states = new ArrayList<>();
        final List<CandidatePair> selected = new ArrayList<>();
        final List<IceCandidate> learned = new ArrayList<>();
        final List<IceOutput.IceRestarted> restarts = new ArrayList<>();
        final List<Packet> sent = new ArrayList<>();
        boolean sendApp;
        long appSent;
        long appReceived;
        final List<InetSocketAddress> appSources = new ArrayList<>();
        private Instant nextApp = Instant.MAX;

        Side(String name, IceAgentConfig config, long seed) {
            this.name = name;
            this.agent = new IceAgent(config, IceCredentials.random(new SplittableRandom(seed)), new SplittableRandom(seed + 100));
            sides.add(this);
        }

        Side host(InetSocketAddress a, int localPreference) {
            addresses.add(a);
            agent.addLocalCandidate(clock.now(), AgentWire.host(a, localPreference));
            return this;
        }

        void startApp() {
            sendApp = true;
            nextApp = clock.now();
        }

        void stopApp() {
            sendApp = false;
            nextApp = Instant.MAX;
        }

        IceConnectionState state() {
            return agent.state();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static LocalCandidate host(InetSocketAddress a, int localPreference) {
        return new LocalCandidate(remoteHost(a, localPreference), a);
    }

    static IceCandidate remoteHost(InetSocketAddress a, int localPreference) {
        return IceCandidate.udp("h" + a.getPort(), 1, IcePriority.candidate(CandidateType.HOST, localPreference, 1), a,
                CandidateType.HOST);
    }

    /** Tells each side the other's credentials and host candidates, as an offer and answer would. */
    void exchange(Side a, Side b) {
        Instant now = clock.now();
        a.agent.setRemoteCredentials(now, b.agent.localCredentials());
        b.agent.setRemoteCredentials(now, a.agent.localCredentials());
        for (InetSocketAddress x : b.addresses) {
            a.agent.addRemoteCandidate(now, remoteHost(x, preference(x)));
        }
        for (InetSocketAddress x : a.addresses) {
            b.agent.addRemoteCandidate(now, remoteHost(x, preference(x)));
        }
        a.agent.endOfRemoteCandidates(now);
        b.agent.endOfRemoteCandidates(now);
    }

    Side side(String name, IceAgentConfig config, long seed, InetSocketAddress... hosts) {
        Side s = new Side(name, config, seed);
        for (InetSocketAddress h : hosts) {
            s.host(h, preference(h));
        }
        return s;
    }

    private void drain(Side s) {
        IceOutput o;
        for (int guard = 0; !((o = s.agent.pollOutput()) instanceof IceOutput.Timeout); guard++) {
            if (guard > 100_000) {
                throw new AssertionError("agent never returned Timeout");
            }
            switch (o) {
                case IceOutput.Transmit t -> {
                    byte[] b = new byte[t.data().remaining()];
                    t.data().duplicate().get(b);
                    transmit(s, t.from(), t.to(), b);
                }
                case IceOutput.StateChanged c -> s.states.add(c.state());
                case IceOutput.SelectedPairChanged p -> s.selected.add(p.pair());
                case IceOutput.RemoteCandidateLearned l -> s.learned.add(l.candidate());
                case IceOutput.IceRestarted r -> s.restarts.add(r);
                default -> {}
            }
        }
    }

    private void transmit(Side s, InetSocketAddress from, InetSocketAddress to, byte[] data) {
        Packet p = new Packet(s, from, to, data, clock.now());
        s.sent.add(p);
        if (!drop.test(p)) {
            due.add(new Due(clock.now().plus(delay.apply(p)), p));
        }
    }

    private void sendApp(Side s) {
        if (!s.sendApp || clock.now().isBefore(s.nextApp)) {
            return;
        }
        s.nextApp = clock.now().plus(APP_INTERVAL);
        CandidatePair p = s.agent.selectedPair();
        if (p == null || s.agent.state() == IceConnectionState.FAILED) {
            return; // RFC 7675: no sending without consent
        }
        s.appSent++;
        transmit(s, p.local().sendAddress(), p.remote().socketAddress().orElseThrow(), new byte[] {APP_BYTE, 1, 2, 3});
    }

    private Side owner(InetSocketAddress a) {
        for (Side s : sides) {
            if (s.addresses.contains(a)) {
                return s;
            }
        }
        return null;
    }

    /** Runs every side and the wire for {@code span} of virtual time. */
    void run(Duration span) {
        runUntil(() -> false, span);
    }

    /** Runs until {@code done} holds (checked after every step) or {@code span} has passed; true if it held. */
    boolean runUntil(java.util.function.BooleanSupplier done, Duration span) {
        Instant until = clock.now().plus(span);
        for (int guard = 0; guard < 2_000_000; guard++) {
            for (Side s : sides) {
                sendApp(s);
                drain(s);
            }
            if (done.getAsBoolean()) {
                return true;
            }
            Instant next = Instant.MAX;
            for (Side s : sides) {
                next = min(next, min(s.nextApp, ((IceOutput.Timeout) s.agent.pollOutput()).at()));
            }
            for (Due d : due) {
                next = min(next, d.at());
            }
            if (next.isAfter(until)) {
                clock.advanceTo(until);
                return false;
            }
            clock.advanceTo(next);
            List<Due> now = due.stream().filter(d -> !d.at().isAfter(clock.now())).toList();
            due.removeAll(now);
            for (Due d : now) {
                Side to = owner(d.packet().to());
                if (to == null) {
                    continue; // nobody there: lost
                }
                if (d.packet().isStun()) {
                    to.agent.handleInput(clock.now(), d.packet().to(), d.packet().from(), ByteBuffer.wrap(d.packet().data()));
                } else {
                    to.appReceived++;
                    to.appSources.add(d.packet().from());
                }
            }
            for (Side s : sides) {
                s.agent.handleTimeout(clock.now());
            }
        }
        throw new AssertionError("did not settle");
    }

    /** Host candidates on lower ports are preferred: the tests choose which path should win. */
    static int preference(InetSocketAddress a) {
        return 65535 - a.getPort() % 1000;
    }

    static Instant min(Instant x, Instant y) {
        return x.isBefore(y) ? x : y;
    }
}
