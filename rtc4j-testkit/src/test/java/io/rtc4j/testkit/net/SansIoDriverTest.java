package io.rtc4j.testkit.net;

import static io.rtc4j.testkit.net.NetFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/**
 * How a sans-IO engine (ENGINEERING.md §1) runs on the virtual network: a driver feeds it datagrams from a socket
 * handler and deadlines through a {@link SimTimer}, and drains its outputs after every input. The engine here is
 * a toy request/retransmit client; the ICE agent's test driver has the same shape.
 */
class SansIoDriverTest {
    /** Sends a request, retransmits with doubling intervals (RFC 8489 §6.2.1 style) until answered. */
    static final class RetryEngine {
        sealed interface Output permits Transmit, Answered, Timeout {}

        record Transmit(InetSocketAddress to, byte[] data) implements Output {}

        record Answered(Instant at, int attempts) implements Output {}

        record Timeout(Instant deadline) implements Output {}

        private final InetSocketAddress server;
        private final ArrayDeque<Output> out = new ArrayDeque<>();
        private Instant deadline = Instant.MAX;
        private Duration rto = Duration.ofMillis(100);
        private int attempts;
        private boolean answered;

        RetryEngine(InetSocketAddress server) {
            this.server = server;
        }

        void start(Instant now) {
            transmit(now);
        }

        void handleInput(Instant now, SimDatagram d) {
            if (!answered && d.source().equals(server) && text(d).equals("response")) {
                answered = true;
                deadline = Instant.MAX;
                out.add(new Answered(now, attempts));
            }
        }

        void handleTimeout(Instant now) {
            if (!answered && !now.isBefore(deadline)) {
                if (attempts == 7) {
                    deadline = Instant.MAX; // gave up
                } else {
                    rto = rto.multipliedBy(2);
                    transmit(now);
                }
            }
        }

        Output pollOutput() {
            Output o = out.poll();
            return o != null ? o : new Timeout(deadline);
        }

        private void transmit(Instant now) {
            attempts++;
            deadline = now.plus(rto);
            out.add(new Transmit(server, text("request")));
        }
    }

    /** The driver: the only code that touches the socket and the clock. */
    static final class Driver implements SimTimer {
        final RetryEngine engine;
        final SimSocket socket;
        Instant deadline = Instant.MAX;
        RetryEngine.Answered answered;

        Driver(RetryEngine engine, SimSocket socket) {
            this.engine = engine;
            this.socket = socket;
            socket.onReceive(d -> {
                engine.handleInput(d.at(), d);
                drain();
            });
        }

        /** str0m's rule: after every input, poll until Timeout (bounded, as every loop here). */
        void drain() {
            for (int i = 0; i < 1000; i++) {
                switch (engine.pollOutput()) {
                    case RetryEngine.Transmit t -> socket.send(t.to(), t.data());
                    case RetryEngine.Answered a -> answered = a;
                    case RetryEngine.Timeout t -> {
                        deadline = t.deadline();
                        return;
                    }
                }
            }
            throw new IllegalStateException("engine never returned Timeout");
        }

        @Override
        public Instant deadline() {
            return deadline;
        }

        @Override
        public void fire(Instant now) {
            engine.handleTimeout(now);
            drain();
        }
    }

    private static RetryEngine.Answered runOverLossyLink(long seed) {
        SimNetwork net = new SimNetwork(seed);
        SimHost server = net.internet().addHost("server", "192.0.2.1");
        server.setLink(SimLinkConditions.builder()
                .delay(Duration.ofMillis(20))
                .loss(0.5)
                .build());
        SimSocket serverSocket = server.bind(3478);
        serverSocket.onReceive(d -> serverSocket.send(d.source(), text("response")));
        SimNat nat = net.internet().addNat("nat", "203.0.113.1", SimNatConfig.portRestrictedCone());
        SimSocket clientSocket = nat.inside().addHost("client", "10.0.0.2").bind(5000);

        Driver driver = new Driver(new RetryEngine(serverSocket.localAddress()), clientSocket);
        net.addTimer(driver);
        driver.engine.start(net.now());
        driver.drain();

        assertThat(net.runUntil(() -> driver.answered != null, Duration.ofSeconds(30)))
                .as("%s", net.counters())
                .isTrue();
        // once answered, the engine has no deadline and the network drains: the whole system goes idle
        assertThat(net.runUntilIdle(Duration.ofSeconds(1))).isTrue();
        return driver.answered;
    }

    @Test
    void retransmissionsGetThroughALossyPathThroughANat() {
        RetryEngine.Answered answered = runOverLossyLink(8);

        // 50% loss each way on the server's link: this seed needs a few retransmissions
        assertThat(answered.attempts()).isGreaterThan(1);
        // attempt n leaves at 100 * (2^(n-1) - 1) ms (0, 100, 300, 700 ...) and its answer takes 40 ms
        long sentAt = 100L * ((1L << (answered.attempts() - 1)) - 1);
        assertThat(Duration.between(SimClock.EPOCH, answered.at()))
                .isEqualTo(Duration.ofMillis(sentAt + 40));
        assertThat(runOverLossyLink(8)).isEqualTo(answered);
    }
}
