package io.rtc4j.bench.ice;

import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.net.IceConnection;
import io.rtc4j.ice.net.IceDriverEvent;
import io.rtc4j.ice.net.IceDriverListener;
import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.ice.net.IceUdpDriver;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Time to the first nominated pair for two real drivers on loopback: from just before the first driver starts
 * (sockets, thread, gathering, TURN allocation) until the controlling agent reports COMPLETED: the answer to
 * its USE-CANDIDATE check arrived, so the controlled agent has accepted the nomination (RFC 8445 §8.1.1).
 * Signaling is in-process and immediate (trickle).
 */
final class ConnectTimer {
    private ConnectTimer() {}

    /** One side's signaling: candidates and end-of-candidates go to the peer once it exists. */
    private static final class Side implements IceDriverListener {
        final CountDownLatch nominated = new CountDownLatch(1);
        final IceRole role;
        private final List<Consumer<IceConnection>> pending = new ArrayList<>();
        private IceConnection peer;
        volatile long doneNanos;

        Side(IceRole role) {
            this.role = role;
        }

        @Override
        public void onEvent(IceDriverEvent e) {
            switch (e) {
                case IceDriverEvent.CandidateGathered c -> signal(p -> p.addRemoteCandidate(c.candidate()));
                case IceDriverEvent.GatheringCompleted c -> signal(IceConnection::endOfRemoteCandidates);
                case IceDriverEvent.StateChanged s -> {
                    if (role == IceRole.CONTROLLING && s.state() == IceConnectionState.COMPLETED && doneNanos == 0) {
                        doneNanos = System.nanoTime();
                        nominated.countDown();
                    }
                }
                default -> {}
            }
        }

        synchronized void connect(IceConnection remote) {
            peer = remote;
            pending.forEach(m -> m.accept(remote));
            pending.clear();
        }

        private synchronized void signal(Consumer<IceConnection> m) {
            if (peer == null) {
                pending.add(m);
            } else {
                m.accept(peer);
            }
        }
    }

    /** Milliseconds until nomination completed; throws if that takes more than 20 s. */
    static double once(InetAddress host, IceUdpConfig.TurnServerEntry turnEntry) throws IOException, InterruptedException {
        Side a = new Side(IceRole.CONTROLLING);
        Side b = new Side(IceRole.CONTROLLED);
        long t0 = System.nanoTime();
        try (IceUdpDriver da = IceUdpDriver.start(config(IceRole.CONTROLLING, host, turnEntry), a);
                IceUdpDriver db = IceUdpDriver.start(config(IceRole.CONTROLLED, host, turnEntry), b)) {
            da.setRemoteCredentials(db.localCredentials());
            db.setRemoteCredentials(da.localCredentials());
            a.connect(db);
            b.connect(da);
            if (!a.nominated.await(20, TimeUnit.SECONDS)) {
                throw new IOException("no nominated pair within 20 s: " + da.state() + " / " + db.state());
            }
            return (a.doneNanos - t0) / 1e6;
        }
    }

    private static IceUdpConfig config(IceRole role, InetAddress host, IceUdpConfig.TurnServerEntry turn) {
        IceUdpConfig.Builder b = IceUdpConfig.builder(role).hostAddress(host);
        if (turn != null) {
            b.turnServer(turn.server(), turn.client()).relayOnly(true);
        }
        return b.build();
    }
}
