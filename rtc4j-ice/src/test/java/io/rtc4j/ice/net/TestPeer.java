package io.rtc4j.ice.net;

import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.stun.PacketKind;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

/** One side of a test call: records events and datagrams, and trickles candidates to its peer (signaling). */
final class TestPeer implements IceDriverListener {
    record Received(PacketKind kind, InetSocketAddress local, InetSocketAddress remote, byte[] data) {}

    final List<IceDriverEvent> events = new CopyOnWriteArrayList<>();
    final BlockingQueue<Received> datagrams = new LinkedBlockingQueue<>();
    private final List<java.util.function.Consumer<IceConnection>> pending = new ArrayList<>();
    private IceConnection peer;

    @Override
    public void onEvent(IceDriverEvent event) {
        events.add(event);
        switch (event) {
            case IceDriverEvent.CandidateGathered c -> signal(p -> p.addRemoteCandidate(c.candidate()));
            case IceDriverEvent.GatheringCompleted c -> signal(IceConnection::endOfRemoteCandidates);
            default -> {}
        }
    }

    @Override
    public void onDatagram(PacketKind kind, InetSocketAddress local, InetSocketAddress remote, ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        datagrams.add(new Received(kind, local, remote, copy));
    }

    /**
     * Connects the signaling channel to the peer's connection and delivers what was held back. Delivery is
     * under one lock so messages keep their order: end-of-candidates must never overtake a held-back candidate
     * (the peer would then conclude failure with no pairs). The peer's methods only queue, so this cannot block.
     */
    synchronized void signalTo(IceConnection remote) {
        peer = remote;
        for (java.util.function.Consumer<IceConnection> m : pending) {
            m.accept(remote);
        }
        pending.clear();
    }

    private synchronized void signal(java.util.function.Consumer<IceConnection> message) {
        if (peer == null) {
            pending.add(message);
        } else {
            message.accept(peer);
        }
    }

    List<IceCandidate> gathered() {
        return events.stream().filter(e -> e instanceof IceDriverEvent.CandidateGathered)
                .map(e -> ((IceDriverEvent.CandidateGathered) e).candidate()).toList();
    }

    static boolean completed(IceConnection c) {
        return c.state() == IceConnectionState.COMPLETED;
    }

    static boolean connected(IceConnection c) {
        return c.state() == IceConnectionState.CONNECTED || c.state() == IceConnectionState.COMPLETED;
    }

    /**
     * Nomination is over (RFC 8445 §8.1.1): the controlling agent got the answer to its USE-CANDIDATE check
     * (COMPLETED), so the controlled one has accepted it and has a selected pair. The controlled side alone may
     * stay CONNECTED: when the nomination overtakes the peer's end-of-candidates on the signaling path, the
     * agent does not move to COMPLETED afterwards (reported to the agent's owner).
     */
    static boolean nominated(IceConnection controlling, IceConnection controlled) {
        return completed(controlling) && connected(controlled) && controlled.selectedPair().isPresent();
    }

    /** Waits until {@link #nominated}; on timeout the failure says what each side saw. */
    static void awaitNominated(IceConnection a, TestPeer pa, IceConnection b, TestPeer pb, Duration max) {
        try {
            await("nomination", max, () -> nominated(a, b));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n A " + a.state() + " " + a.stats() + " events " + pa.events
                    + "\n B " + b.state() + " " + b.stats() + " events " + pb.events, e);
        }
    }

    /** Waits for {@code condition}, polling, at most {@code max}; fails with {@code what} otherwise. */
    static void await(String what, Duration max, BooleanSupplier condition) {
        long end = System.nanoTime() + max.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** Sends until the receiver got a datagram with this content (UDP may lose one), bounded. */
    static Received exchange(IceConnection from, TestPeer to, byte[] data, Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < end) {
            from.send(ByteBuffer.wrap(data));
            Received r = to.datagrams.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            while (r != null) {
                if (java.util.Arrays.equals(r.data(), data)) {
                    return r;
                }
                r = to.datagrams.poll();
            }
        }
        throw new AssertionError("datagram never arrived");
    }
}
