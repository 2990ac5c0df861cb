package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.only;
import static io.rtc4j.turn.EngineHarness.udp;
import static io.rtc4j.turn.TurnTestClient.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Allocation, permission, channel and reservation lifetimes on the virtual clock (RFC 8656 §3.2, §7.2, §8,
 * §9, §12). Nothing sleeps: the harness moves the clock and calls handleTimeout at each returned deadline.
 */
class TurnLifetimeTest {

    private static final FiveTuple A = udp("192.0.2.10", 40000);
    private static final InetSocketAddress PEER = EngineHarness.sock("198.51.100.1", 5000);
    private static final byte[] PING = {1, 2, 3};

    private final EngineHarness h = EngineHarness.create();
    private final TurnTestClient c = TurnTestClient.alice(h, A);

    private List<TurnOutput.AllocationDeleted> deleted(List<TurnOutput> out) {
        return only(out, TurnOutput.AllocationDeleted.class);
    }

    /** True if a datagram from PEER reaches the client now. */
    private boolean peerGetsThrough() {
        return !only(h.fromPeer(c.relay(), PEER, PING), TurnOutput.ToClient.class).isEmpty();
    }

    /** True if a Send indication to PEER is relayed now. */
    private boolean clientGetsThrough() {
        return !only(c.sendIndication(PEER, PING), TurnOutput.ToPeer.class).isEmpty();
    }

    @Test
    void defaultLifetimeIs600SecondsAndExpiryDeletesExactlyThen() {
        Instant t0 = h.now();
        assertThat(c.allocateOk().getOrNull(Lifetime.class).value()).isEqualTo(600);
        FakeRelayAllocator.FakeRelay relay = c.relay();
        assertThat(h.deadline()).isEqualTo(t0.plusSeconds(600));

        h.engine.handleTimeout(t0.plusSeconds(600).minusNanos(1)); // an early timer changes nothing
        assertThat(h.drain()).isEmpty();
        assertThat(h.engine.allocationCount()).isEqualTo(1);

        List<TurnOutput> out = h.advance(Duration.ofSeconds(600));
        assertThat(deleted(out)).containsExactly(new TurnOutput.AllocationDeleted(A, "alice", TurnOutput.DeleteReason.EXPIRED));
        assertThat(relay.closed).isTrue();
        h.assertEmpty();
        assertThat(code(c.refresh(600))).isEqualTo(ErrorCode.ALLOCATION_MISMATCH);
    }

    @Test
    void askedLifetimeIsClampedToDefaultAndMaximum() {
        assertThat(c.allocateOk(new Lifetime(5000)).getOrNull(Lifetime.class).value()).isEqualTo(3600);
        assertThat(h.deadline()).isEqualTo(h.now().plusSeconds(3600));
        TurnTestClient short_ = TurnTestClient.alice(h, udp("192.0.2.11", 40000));
        assertThat(short_.allocateOk(new Lifetime(10)).getOrNull(Lifetime.class).value()).isEqualTo(600);
        TurnTestClient zero = TurnTestClient.alice(h, udp("192.0.2.12", 40000));
        assertThat(zero.allocateOk(new Lifetime(0)).getOrNull(Lifetime.class).value()).isEqualTo(600);
        TurnTestClient huge = TurnTestClient.alice(h, udp("192.0.2.13", 40000));
        assertThat(huge.allocateOk(new Lifetime(0xFFFFFFFFL)).getOrNull(Lifetime.class).value()).isEqualTo(3600);
        assertThat(code(short_.refresh(10))).isZero();
        assertThat(short_.refresh(10).getOrNull(Lifetime.class).value()).isEqualTo(600);
        assertThat(short_.refresh(99999).getOrNull(Lifetime.class).value()).isEqualTo(3600);
    }

    @Test
    void refreshExtendsTheAllocation() {
        Instant t0 = h.now();
        c.allocateOk();
        h.advance(Duration.ofSeconds(500));
        StunMessage r = c.request(StunMethod.REFRESH); // no LIFETIME: the default
        assertThat(r.getOrNull(Lifetime.class).value()).isEqualTo(600);
        assertThat(deleted(h.advanceTo(t0.plusSeconds(1100).minusNanos(1)))).isEmpty();
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        assertThat(deleted(h.advanceTo(t0.plusSeconds(1100)))).hasSize(1);
        h.assertEmpty();
    }

    @Test
    void refreshCanShortenTheAllocation() {
        Instant t0 = h.now();
        c.allocateOk(new Lifetime(3600));
        h.advance(Duration.ofSeconds(100));
        assertThat(c.refresh(600).getOrNull(Lifetime.class).value()).isEqualTo(600);
        assertThat(h.deadline()).isEqualTo(t0.plusSeconds(700));
        assertThat(deleted(h.advanceTo(t0.plusSeconds(700)))).hasSize(1);
        h.assertEmpty();
    }

    @Test
    void refreshWithLifetimeZeroDeletesAtOnce() {
        h.quotas.tryAcquire("warm-up"); // the quota counts must come back exactly
        h.quotas.release("warm-up");
        c.allocateOk();
        FakeRelayAllocator.FakeRelay relay = c.relay();
        TurnTestClient.Exchange x = c.send(StunMethod.REFRESH, List.of(new Lifetime(0)));
        assertThat(x.code()).isZero();
        assertThat(x.response().getOrNull(Lifetime.class).value()).isZero();
        assertThat(x.response().verifyIntegrity(c.key)).isTrue();
        assertThat(deleted(x.outputs()))
                .containsExactly(new TurnOutput.AllocationDeleted(A, "alice", TurnOutput.DeleteReason.CLIENT_REFRESH_ZERO));
        assertThat(relay.closed).isTrue();
        assertThat(h.quotas.total()).isZero();
        h.assertEmpty();
        assertThat(code(c.refresh(0))).isEqualTo(ErrorCode.ALLOCATION_MISMATCH);
        assertThat(peerGetsThroughTo(relay)).isFalse();
    }

    private boolean peerGetsThroughTo(RelayEndpoint relay) {
        return h.fromPeer(relay, PEER, PING).stream().anyMatch(o -> o instanceof TurnOutput.ToClient);
    }

    @Test
    void anAllocationPastItsExpiryIsGoneEvenBeforeTheTimerRuns() {
        Instant t0 = h.now();
        c.allocateOk();
        h.advanceTo(t0.plusSeconds(500));
        c.createPermission(PEER); // until 800: the permission outlives the allocation
        c.channelBind(0x4000, PEER);
        FakeRelayAllocator.FakeRelay relay = c.relay();
        h.clock.advanceTo(t0.plusSeconds(600)); // input arrives at the deadline, before the driver's timer fires
        assertThat(only(c.sendIndication(PEER, PING), TurnOutput.ToPeer.class)).isEmpty();
        assertThat(only(c.channelData(0x4000, PING), TurnOutput.ToPeer.class)).isEmpty();
        assertThat(code(c.refresh(600))).isEqualTo(ErrorCode.ALLOCATION_MISMATCH); // not revived
        assertThat(relay.closed).isTrue();
        assertThat(h.fromPeer(relay, PEER, PING)).noneMatch(o -> o instanceof TurnOutput.ToClient);
        assertThat(only(h.log, TurnOutput.AllocationDeleted.class)).hasSize(1);
        h.advance(Duration.ZERO);
        h.assertEmpty();
    }

    @Test
    void aPeerDatagramAtTheExpiryInstantFindsNoAllocation() {
        Instant t0 = h.now();
        c.allocateOk();
        h.advanceTo(t0.plusSeconds(500));
        c.createPermission(PEER);
        FakeRelayAllocator.FakeRelay relay = c.relay();
        h.clock.advanceTo(t0.plusSeconds(600));
        assertThat(h.fromPeer(relay, PEER, PING)).noneMatch(o -> o instanceof TurnOutput.ToClient);
        assertThat(h.metrics.drops(DropReason.NO_ALLOCATION)).isEqualTo(1);
        assertThat(relay.closed).isTrue();
        h.advance(Duration.ZERO);
        h.assertEmpty();
    }

    @Test
    void permissionsExpireAfter300Seconds() {
        Instant t0 = h.now();
        c.allocateOk(new Lifetime(3600));
        assertThat(code(c.createPermission(PEER))).isZero();
        assertThat(h.deadline()).isEqualTo(t0.plusSeconds(300));
        h.advanceTo(t0.plusSeconds(300).minusNanos(1));
        assertThat(peerGetsThrough()).isTrue();
        assertThat(clientGetsThrough()).isTrue();
        h.advanceTo(t0.plusSeconds(300));
        long before = h.metrics.drops(DropReason.NO_PERMISSION);
        assertThat(peerGetsThrough()).isFalse();
        assertThat(clientGetsThrough()).isFalse();
        assertThat(h.metrics.drops(DropReason.NO_PERMISSION)).isEqualTo(before + 2);
        assertThat(h.engine.allocations().get(0).permissionCount()).isZero(); // swept, not just ignored
        assertThat(h.deadline()).isEqualTo(t0.plusSeconds(3600));
    }

    @Test
    void refreshingAPermissionKeepsIt() {
        Instant t0 = h.now();
        c.allocateOk(new Lifetime(3600));
        c.createPermission(PEER);
        h.advance(Duration.ofSeconds(200));
        assertThat(code(c.createPermission(new InetSocketAddress(PEER.getAddress(), 9)))).isZero(); // port is ignored
        h.advanceTo(t0.plusSeconds(499));
        assertThat(peerGetsThrough()).isTrue();
        h.advanceTo(t0.plusSeconds(500));
        assertThat(peerGetsThrough()).isFalse();
    }

    @Test
    void channelBindingsExpireAfter600Seconds() {
        Instant t0 = h.now();
        c.allocateOk(new Lifetime(3600));
        assertThat(code(c.channelBind(0x4000, PEER))).isZero();
        // keep the permission alive; the channel is not refreshed
        h.advanceTo(t0.plusSeconds(250));
        c.createPermission(PEER);
        h.advanceTo(t0.plusSeconds(500));
        c.createPermission(PEER);
        h.advanceTo(t0.plusSeconds(600).minusNanos(1));
        assertThat(only(c.channelData(0x4000, PING), TurnOutput.ToPeer.class)).hasSize(1);
        byte[] toClient = EngineHarness.bytes(only(h.fromPeer(c.relay(), PEER, PING), TurnOutput.ToClient.class).get(0).data());
        assertThat(toClient[0]).isEqualTo((byte) 0x40); // ChannelData

        h.advanceTo(t0.plusSeconds(600));
        assertThat(c.channelData(0x4000, PING)).isEmpty();
        assertThat(h.metrics.drops(DropReason.CHANNEL_NOT_BOUND)).isEqualTo(1);
        List<TurnOutput.ToClient> data = only(h.fromPeer(c.relay(), PEER, PING), TurnOutput.ToClient.class);
        assertThat(TurnTestClient.decode(data.get(0).data()).method()).isEqualTo(StunMethod.DATA); // back to Data indications
        assertThat(h.engine.allocations().get(0).channels.size()).isZero();
    }

    @Test
    void rebindingTheSameChannelRefreshesIt() {
        Instant t0 = h.now();
        c.allocateOk(new Lifetime(3600));
        c.channelBind(0x4001, PEER);
        h.advanceTo(t0.plusSeconds(290));
        assertThat(code(c.channelBind(0x4001, PEER))).isZero(); // also refreshes the permission (to 590)
        h.advanceTo(t0.plusSeconds(580));
        assertThat(code(c.channelBind(0x4001, PEER))).isZero(); // channel to 1180, permission to 880
        h.advanceTo(t0.plusSeconds(870));
        assertThat(only(c.channelData(0x4001, PING), TurnOutput.ToPeer.class)).hasSize(1);
        c.createPermission(PEER); // the permission, not the channel, to 1170
        h.advanceTo(t0.plusSeconds(1150));
        c.createPermission(PEER); // to 1450
        h.advanceTo(t0.plusSeconds(1180).minusNanos(1));
        assertThat(only(c.channelData(0x4001, PING), TurnOutput.ToPeer.class)).hasSize(1);
        h.advanceTo(t0.plusSeconds(1180));
        assertThat(c.channelData(0x4001, PING)).isEmpty();
        assertThat(h.metrics.drops(DropReason.CHANNEL_NOT_BOUND)).isEqualTo(1);
    }

    @Test
    void refreshForAFamilyTheAllocationDoesNotHaveGets443() {
        c.allocateOk();
        StunMessage r = c.request(StunMethod.REFRESH, new io.rtc4j.stun.RequestedAddressFamily(2));
        assertThat(code(r)).isEqualTo(ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
        assertThat(code(c.request(StunMethod.REFRESH, new io.rtc4j.stun.RequestedAddressFamily(1)))).isZero();
    }

    @Test
    void tcpConnectionCloseDeletesItsAllocation() {
        FiveTuple tcp = EngineHarness.tcp("192.0.2.10", 40001);
        TurnTestClient t = TurnTestClient.alice(h, tcp);
        t.allocateOk();
        FakeRelayAllocator.FakeRelay relay = t.relay();
        h.engine.handleConnectionClosed(h.now(), tcp);
        assertThat(deleted(h.drain()))
                .containsExactly(new TurnOutput.AllocationDeleted(tcp, "alice", TurnOutput.DeleteReason.CONNECTION_CLOSED));
        assertThat(relay.closed).isTrue();
        h.engine.handleConnectionClosed(h.now(), tcp); // twice is harmless
        assertThat(h.drain()).isEmpty();
        h.assertEmpty();
    }

    @Test
    void deadlinesStayFewWhateverTheClientDoes() {
        for (int i = 0; i < 500; i++) {
            TurnTestClient x = TurnTestClient.alice(h, A);
            x.allocateOk(new Lifetime(3600));
            x.createPermission(PEER);
            x.refresh(600);
            x.refresh(0);
        }
        assertThat(h.engine.deadlineQueueSize()).isLessThan(200);
        h.close();
        h.assertEmpty();
    }
}
