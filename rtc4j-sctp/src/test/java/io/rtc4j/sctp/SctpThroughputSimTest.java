package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.sctp.SctpEvent.BufferedAmountLow;
import io.rtc4j.sctp.SctpEvent.MessageReceived;
import io.rtc4j.testkit.net.SimLinkConditions;
import io.rtc4j.testkit.net.SimNetwork;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A long fat path: 100 ms RTT, 100 Mbit/s bottleneck with a BDP-sized queue. Goodput in virtual time must reach a
 * large fraction of the link rate, which needs a window (a_rwnd, cwnd, no cap on outstanding data) above the BDP.
 */
class SctpThroughputSimTest {

    /** Runs a bulk transfer and returns goodput in bytes per virtual second over [warmup, warmup + measure]. */
    static double goodput(long seed, Duration rtt, long rateBytesPerSecond, Duration warmup, Duration measure) {
        SimNetwork net = new SimNetwork(seed);
        net.setMaxStepsPerRun(50_000_000);
        SctpConfig config = SctpConfig.builder().remoteMaxMessageSize(256 * 1024).build();
        SimSctpPeer[] p = SimSctpPeer.pair(net, config, config);
        Duration oneWay = rtt.dividedBy(4);
        long bdp = rateBytesPerSecond * rtt.toMillis() / 1000;
        SimLinkConditions delay = SimLinkConditions.delay(oneWay);
        p[0].host().setUplink(rateBytesPerSecond > 0
                ? delay.toBuilder().rateLimit(rateBytesPerSecond, (int) Math.max(bdp, 64 * 1024)).build()
                : delay);
        p[0].host().setDownlink(delay);
        p[1].host().setUplink(delay);
        p[1].host().setDownlink(delay);
        p[0].connect();
        p[1].connect();
        if (!net.runUntil(() -> p[0].association.state() == SctpAssociation.State.ESTABLISHED
                && p[1].association.state() == SctpAssociation.State.ESTABLISHED, Duration.ofSeconds(30))) {
            throw new AssertionError("not established");
        }
        byte[] chunk = new byte[64 * 1024];
        long[] delivered = {0};
        p[1].listener = e -> {
            if (e instanceof MessageReceived m) {
                delivered[0] += m.data().length;
            }
        };
        // Keep about 8 MiB queued: refill whenever the queue falls below 4 MiB.
        Runnable refill = () -> {
            while (p[0].association.bufferedAmount(0) < 8 << 20) {
                p[0].association.send(net.now(), 0, 53, chunk, SctpSendOptions.RELIABLE_ORDERED);
            }
        };
        p[0].association.setBufferedAmountLowThreshold(0, 4 << 20);
        p[0].listener = e -> {
            if (e instanceof BufferedAmountLow) {
                refill.run();
            }
        };
        refill.run();
        p[0].drain();
        net.runFor(warmup);
        long before = delivered[0];
        Instant start = net.now();
        net.runFor(measure);
        return (delivered[0] - before) / (Duration.between(start, net.now()).toNanos() / 1e9);
    }

    @Test
    void longFatPathStaysFull() {
        long rate = 100_000_000 / 8; // 100 Mbit/s
        double goodput = goodput(3, Duration.ofMillis(100), rate, Duration.ofSeconds(3), Duration.ofSeconds(2));
        // Per 1200-byte packet 28 B of IP/UDP and 28 B of SCTP headers: 95% is the most payload there can be.
        assertThat(goodput / rate).as("goodput fraction of the link rate: %.3f", goodput / rate)
                .isGreaterThan(0.90);
    }
}
