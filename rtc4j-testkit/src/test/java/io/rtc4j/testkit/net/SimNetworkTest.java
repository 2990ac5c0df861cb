package io.rtc4j.testkit.net;

import static io.rtc4j.testkit.net.NetFixtures.sock;
import static io.rtc4j.testkit.net.NetFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimNetworkTest {
    private static final Instant T0 = SimClock.EPOCH;

    private final SimNetwork net = new SimNetwork(7);
    private final SimHost a = net.internet().addHost("a", "192.0.2.10");
    private final SimHost b = net.internet().addHost("b", "192.0.2.20");

    @Test
    void deliversAfterUplinkPlusDownlinkDelayAndNotBefore() {
        a.setUplink(SimLinkConditions.delay(Duration.ofMillis(30)));
        b.setDownlink(SimLinkConditions.delay(Duration.ofMillis(20)));
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);

        sa.send(sb.localAddress(), ByteBuffer.wrap(text("hello")));

        assertThat(sb.poll()).isNull();
        assertThat(net.nextEventTime()).isEqualTo(T0.plusMillis(30)); // leaving a's uplink
        net.runUntil(T0.plusMillis(49));
        assertThat(sb.poll()).isNull();
        assertThat(net.now()).isEqualTo(T0.plusMillis(49));
        net.runUntil(T0.plusMillis(50));
        SimDatagram d = sb.poll();
        assertThat(d).isNotNull();
        assertThat(d.source()).isEqualTo(sock("192.0.2.10", 5000));
        assertThat(d.destination()).isEqualTo(sock("192.0.2.20", 6000));
        assertThat(text(d)).isEqualTo("hello");
        assertThat(d.at()).isEqualTo(T0.plusMillis(50));
        assertThat(net.nextEventTime()).isEqualTo(Instant.MAX);
        assertThat(a.counters().sent()).isEqualTo(1);
        assertThat(b.counters().delivered()).isEqualTo(1);
        assertThat(net.counters().delivered()).isEqualTo(1);
    }

    @Test
    void sendConsumesTheBufferAndNeverDeliversSynchronouslyEvenOverPerfectLinks() {
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        List<SimDatagram> got = new ArrayList<>();
        sb.onReceive(got::add);
        ByteBuffer buf = ByteBuffer.wrap(text("x"));

        sa.send(sb.localAddress(), buf);

        assertThat(buf.hasRemaining()).isFalse();
        assertThat(got).isEmpty();
        assertThat(net.step()).isTrue(); // out of a's uplink, routed onto b's downlink
        assertThat(got).isEmpty();
        assertThat(net.step()).isTrue(); // out of b's downlink: delivered
        assertThat(got).hasSize(1);
        assertThat(got.get(0).at()).isEqualTo(T0);
        assertThat(net.step()).isFalse();
    }

    @Test
    void handlersMaySendAndEachDeliveryGetsItsOwnCopy() {
        a.setLink(SimLinkConditions.delay(Duration.ofMillis(10)));
        SimSocket sa = a.bind(5000);
        SimSocket echo = b.bind(7);
        echo.onReceive(d -> {
            d.data()[0] = 'X'; // the receiver owns its copy
            echo.send(d.source(), d.data());
        });
        sa.send(echo.localAddress(), text("ping"));

        assertThat(net.runUntil(() -> sa.queued() == 1, Duration.ofSeconds(1))).isTrue();

        SimDatagram reply = sa.poll();
        assertThat(text(reply)).isEqualTo("Xing");
        assertThat(reply.source()).isEqualTo(echo.localAddress());
        assertThat(reply.at()).isEqualTo(T0.plusMillis(20)); // 10 ms out of a, 10 ms back into a
    }

    @Test
    void pollCatchesUpWhenTheTestMovedTheClockItself() {
        a.setUplink(SimLinkConditions.delay(Duration.ofMillis(5)));
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        sa.send(sb.localAddress(), text("late"));

        net.clock().advance(Duration.ofMillis(4));
        assertThat(sb.poll()).isNull();
        net.clock().advance(Duration.ofMillis(1));
        assertThat(sb.poll()).isNotNull();
    }

    @Test
    void unknownAddressIsNoRouteAndUnboundPortIsNoSocket() {
        SimSocket sa = a.bind(5000);
        sa.send(sock("198.51.100.99", 1), text("nowhere"));
        sa.send(sock("192.0.2.20", 1), text("closed port"));
        SimSocket sb = b.bind(6000);
        sb.close();
        sa.send(sb.localAddress(), text("closed socket"));

        net.runFor(Duration.ofSeconds(1));

        assertThat(a.counters().dropped(DropReason.NO_ROUTE)).isEqualTo(1);
        assertThat(b.counters().dropped(DropReason.NO_SOCKET)).isEqualTo(2);
        assertThat(net.counters().dropped()).isEqualTo(3);
        assertThat(net.counters().delivered()).isZero();
        assertThatThrownBy(() -> sb.send(sa.localAddress(), text("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bindChecksAddressesPortsAndHandsOutDistinctEphemeralPorts() {
        SimHost multi = net.internet().addHost("multi", "192.0.2.30", "2001:db8::30");
        SimSocket e1 = multi.bind(0);
        SimSocket e2 = multi.bind(0);
        SimSocket v6 = multi.bind(sock("2001:db8::30", 0));

        assertThat(e1.localAddress().getPort()).isEqualTo(SimHost.EPHEMERAL_LOW);
        assertThat(e2.localAddress().getPort()).isEqualTo(SimHost.EPHEMERAL_LOW + 1);
        assertThat(v6.localAddress().getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:30");
        assertThatThrownBy(() -> multi.bind(e1.localAddress().getPort())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> multi.bind(sock("192.0.2.99", 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.internet().addHost("dup", "192.0.2.30"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.internet().addHost("named", "example.org"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e1.send(sock("192.0.2.20", 1), new byte[SimSocket.MAX_PAYLOAD + 1]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ipv6HostsTalkOnTheInternet() {
        SimHost x = net.internet().addHost("x", "2001:db8::1");
        SimHost y = net.internet().addHost("y", "2001:db8::2");
        SimSocket sx = x.bind(1000);
        SimSocket sy = y.bind(2000);
        sx.send(sy.localAddress(), text("v6"));
        net.runFor(Duration.ofMillis(1));
        assertThat(sy.poll().source()).isEqualTo(sx.localAddress());
    }

    @Test
    void receiveQueueIsBounded() {
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        sb.setReceiveQueueCapacity(3);
        for (int i = 0; i < 5; i++) {
            sa.send(sb.localAddress(), text("m" + i));
        }
        net.runFor(Duration.ofMillis(1));
        assertThat(sb.queued()).isEqualTo(3);
        assertThat(b.counters().dropped(DropReason.RECEIVE_QUEUE_FULL)).isEqualTo(2);
    }

    /** An engine stand-in: wants to run every 100 ms, and sends a packet each time. */
    @Test
    void timersRunInTimeOrderWithPackets() {
        a.setUplink(SimLinkConditions.delay(Duration.ofMillis(150)));
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        List<String> log = new ArrayList<>();
        sb.onReceive(d -> log.add("rx " + text(d) + " @" + Duration.between(T0, d.at()).toMillis()));
        Instant[] deadline = {T0.plusMillis(100)};
        int[] n = {0};
        net.addTimer(SimTimer.of(() -> deadline[0], now -> {
            log.add("timer @" + Duration.between(T0, now).toMillis());
            sa.send(sb.localAddress(), text("t" + n[0]++));
            deadline[0] = n[0] < 3 ? now.plusMillis(100) : Instant.MAX;
        }));

        assertThat(net.nextEventTime()).isEqualTo(T0.plusMillis(100));
        assertThat(net.runUntilIdle(Duration.ofSeconds(10))).isTrue();

        assertThat(log)
                .containsExactly(
                        "timer @100", "timer @200", "rx t0 @250", "timer @300", "rx t1 @350", "rx t2 @450");
        assertThat(net.now()).isEqualTo(T0.plusMillis(450));
    }

    @Test
    void scheduledActionsRunAtTheirInstant() {
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        net.schedule(T0.plusSeconds(5), () -> sa.send(sb.localAddress(), text("later")));

        net.runUntil(T0.plusMillis(4999));
        assertThat(sb.poll()).isNull();
        net.runUntil(T0.plusSeconds(5));
        assertThat(sb.poll().at()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void runUntilConditionGivesUpAtTheBound() {
        SimSocket sb = b.bind(6000);
        assertThat(net.runUntil(() -> sb.queued() > 0, Duration.ofSeconds(3))).isFalse();
        assertThat(net.now()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void zeroDelayPingPongFailsInsteadOfHanging() {
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        sa.onReceive(d -> sa.send(d.source(), d.data()));
        sb.onReceive(d -> sb.send(d.source(), d.data()));
        net.setMaxStepsPerRun(10_000);
        sa.send(sb.localAddress(), text("forever"));

        assertThatThrownBy(() -> net.runFor(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("zero-delay loop");
        assertThat(net.now()).isEqualTo(T0);
    }

    @Test
    void sameSeedGivesTheSameTraceAndAnotherSeedAnotherOne() {
        List<SimTraceEvent> first = lossyNattedRun(11);
        assertThat(first).hasSizeGreaterThan(100);
        assertThat(lossyNattedRun(11)).isEqualTo(first);
        assertThat(lossyNattedRun(12)).isNotEqualTo(first);
    }

    private static List<SimTraceEvent> lossyNattedRun(long seed) {
        SimNetwork n = new SimNetwork(seed);
        n.enableTrace(100_000);
        SimHost server = n.internet().addHost("server", "192.0.2.1");
        SimNat nat = n.internet().addNat("nat", "203.0.113.1", SimNatConfig.symmetric());
        nat.setLink(SimLinkConditions.builder()
                .delay(Duration.ofMillis(20))
                .jitter(Duration.ofMillis(10))
                .loss(0.2)
                .duplication(0.05)
                .build());
        SimHost client = nat.inside().addHost("client", "10.0.0.2");
        NetFixtures.reflector(server, 3478);
        InetSocketAddress dst = sock("192.0.2.1", 3478);
        for (int i = 0; i < 50; i++) {
            SimSocket s = client.bind(0);
            n.schedule(SimClock.EPOCH.plusMillis(i), () -> s.send(dst, text("probe")));
        }
        n.runFor(Duration.ofSeconds(1));
        return n.trace();
    }

    @Test
    void traceKeepsOnlyTheLastEvents() {
        net.enableTrace(4);
        SimSocket sa = a.bind(5000);
        SimSocket sb = b.bind(6000);
        for (int i = 0; i < 3; i++) {
            sa.send(sb.localAddress(), text("m" + i));
        }
        net.runFor(Duration.ofMillis(1));

        assertThat(net.trace())
                .extracting(SimTraceEvent::kind)
                .containsExactly(
                        SimTraceEvent.Kind.SENT,
                        SimTraceEvent.Kind.DELIVERED,
                        SimTraceEvent.Kind.DELIVERED,
                        SimTraceEvent.Kind.DELIVERED);
    }
}
