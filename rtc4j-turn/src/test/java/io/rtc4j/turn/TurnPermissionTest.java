package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.only;
import static io.rtc4j.turn.EngineHarness.sock;
import static io.rtc4j.turn.EngineHarness.udp;
import static io.rtc4j.turn.TurnTestClient.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.AddressFamily;
import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.RequestedAddressFamily;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.XorPeerAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** CreatePermission (RFC 8656 §10) and ChannelBind (§12.2), with the peer address policy (§21). */
class TurnPermissionTest {

    private static final FiveTuple A = udp("192.0.2.10", 40000);
    private static final InetSocketAddress P1 = sock("198.51.100.1", 5000);
    private static final InetSocketAddress P2 = sock("198.51.100.2", 5000);
    private static final InetSocketAddress P3 = sock("203.0.113.3", 7000);
    private static final InetSocketAddress P6 = sock("2001:db8:beef::1", 5000);
    private static final byte[] PING = {9};

    private EngineHarness h = EngineHarness.create();
    private TurnTestClient c = TurnTestClient.alice(h, A);

    private boolean reaches(InetSocketAddress peer) {
        return !only(h.fromPeer(c.relay(), peer, PING), TurnOutput.ToClient.class).isEmpty();
    }

    /** ::ffff:a.b.c.d as an IPv6 address on the wire (Java would otherwise fold it to IPv4). */
    private static InetSocketAddress mapped(int a, int b, int c, int d, int port) {
        byte[] raw = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d};
        try {
            return new InetSocketAddress(Inet6Address.getByAddress(null, raw, -1), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void assertError(StunMessage r, int expected) {
        assertThat(code(r)).as("%s", r).isEqualTo(expected);
        assertThat(r.verifyIntegrity(c.key)).isTrue();
    }

    @Test
    void createPermissionWithSeveralPeers() {
        c.allocateOk();
        assertThat(reaches(P1)).isFalse();
        assertThat(code(c.createPermission(P1, P2, P3))).isZero();
        assertThat(reaches(P1)).isTrue();
        assertThat(reaches(P2)).isTrue();
        assertThat(reaches(P3)).isTrue();
        assertThat(reaches(sock("198.51.100.1", 1))).isTrue(); // any port of a permitted address
        assertThat(reaches(sock("198.51.100.9", 5000))).isFalse();
    }

    @Test
    void createPermissionWithoutPeerGets400AndWithoutAllocation437() {
        assertThat(code(c.request(StunMethod.CREATE_PERMISSION))).isEqualTo(ErrorCode.ALLOCATION_MISMATCH);
        c.allocateOk();
        assertError(c.request(StunMethod.CREATE_PERMISSION), ErrorCode.BAD_REQUEST);
    }

    @Test
    void deniedPeersGet403AndNothingIsInstalled() {
        c.allocateOk();
        assertError(c.createPermission(sock("127.0.0.1", 80)), ErrorCode.FORBIDDEN);
        assertError(c.createPermission(mapped(10, 0, 0, 1, 80)), ErrorCode.FORBIDDEN);
        assertError(c.createPermission(sock("169.254.169.254", 80)), ErrorCode.FORBIDDEN);
        assertError(c.createPermission(sock("0.0.0.0", 80)), ErrorCode.FORBIDDEN);
        // all or nothing: the allowed peer in a refused request gets no permission either
        assertError(c.createPermission(P1, sock("10.1.2.3", 80)), ErrorCode.FORBIDDEN);
        assertThat(reaches(P1)).isFalse();
        assertThat(h.engine.allocations().get(0).permissionCount()).isZero();
    }

    @Test
    void mappedAddressesNeverSlipThroughAnIpv6Allocation() {
        c = TurnTestClient.alice(h, udp("2001:db8:1::10", 40000));
        c.allocateOk(RequestedAddressFamily.of(AddressFamily.IPV6));
        for (InetSocketAddress bad : new InetSocketAddress[] {mapped(127, 0, 0, 1, 80), mapped(10, 0, 0, 1, 80), sock("::1", 80)}) {
            StunMessage r = c.createPermission(bad);
            assertThat(code(r)).as("%s", bad).isIn(ErrorCode.FORBIDDEN, ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
        }
        assertThat(h.engine.allocations().get(0).permissionCount()).isZero();
    }

    @Test
    void loopbackIsAllowedWhenThePolicyAllowsIt() {
        h = EngineHarness.builder().peerPolicy(DefaultPeerAddressPolicy.builder().allow("127.0.0.0/8").build()).build();
        c = TurnTestClient.alice(h, A);
        c.allocateOk();
        InetSocketAddress lo = sock("127.0.0.1", 9999);
        assertThat(code(c.createPermission(lo))).isZero();
        assertThat(reaches(lo)).isTrue();
        assertThat(only(c.sendIndication(lo, PING), TurnOutput.ToPeer.class)).hasSize(1);
    }

    @Test
    void peerOfTheOtherFamilyGets443() {
        c.allocateOk();
        assertError(c.createPermission(P6), ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
        assertError(c.channelBind(0x4000, P6), ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
        TurnTestClient v6 = TurnTestClient.alice(h, udp("2001:db8:1::10", 40000));
        v6.allocateOk(RequestedAddressFamily.of(AddressFamily.IPV6));
        assertThat(code(v6.createPermission(P1))).isEqualTo(ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH);
        assertThat(code(v6.createPermission(P6))).isZero();
        // a dual-stack allocation takes both
        TurnTestClient dual = TurnTestClient.alice(h, udp("192.0.2.99", 40000));
        dual.allocateOk(io.rtc4j.stun.AdditionalAddressFamily.of(AddressFamily.IPV6));
        assertThat(code(dual.createPermission(P1, P6))).isZero();
    }

    @Test
    void channelNumbersOutsideTheRangeGet400() {
        c.allocateOk();
        assertError(c.channelBind(0x3FFF, P1), ErrorCode.BAD_REQUEST);
        assertError(c.channelBind(ChannelData.MAX_CHANNEL + 1, P1), ErrorCode.BAD_REQUEST);
        assertError(c.channelBind(0x8000, P1), ErrorCode.BAD_REQUEST);
        assertError(c.channelBind(0x0000, P1), ErrorCode.BAD_REQUEST);
        assertError(c.channelBind(0xFFFF, P1), ErrorCode.BAD_REQUEST);
        assertThat(code(c.channelBind(0x4000, P1))).isZero();
        assertThat(code(c.channelBind(0x4FFF, P2))).isZero(); // the RFC 8656 range
        assertThat(h.engine.allocations().get(0).channels.size()).isEqualTo(2);
    }

    /**
     * RFC 8656 binds 0x4000-0x4FFF and discards ChannelData in 0x5000-0xFFFF; RFC 5766 allowed up to 0x7FFF.
     * Whichever range {@link ChannelData} accepts, a number that can be bound must also carry data both ways,
     * and one that cannot be bound is refused.
     */
    @Test
    void theBindableRangeAndTheChannelDataRangeAgree() {
        c.allocateOk();
        int[] numbers = {0x4000, 0x4FFF, 0x5000, 0x6ABC, 0x7FFF};
        for (int i = 0; i < numbers.length; i++) {
            int n = numbers[i];
            InetSocketAddress peer = sock("198.51.100." + (10 + i), 1000);
            StunMessage r = c.channelBind(n, peer);
            if (!ChannelData.isValidChannel(n)) {
                assertError(r, ErrorCode.BAD_REQUEST);
                continue;
            }
            assertThat(code(r)).as("0x%x", n).isZero();
            assertThat(only(c.channelData(n, PING), TurnOutput.ToPeer.class)).as("0x%x to the peer", n).hasSize(1);
            byte[] cd = EngineHarness.bytes(only(h.fromPeer(c.relay(), peer, PING), TurnOutput.ToClient.class).get(0).data());
            assertThat(((cd[0] & 0xFF) << 8) | (cd[1] & 0xFF)).as("0x%x to the client", n).isEqualTo(n);
        }
    }

    @Test
    void channelBindNeedsBothAttributes() {
        c.allocateOk();
        assertError(c.request(StunMethod.CHANNEL_BIND, new ChannelNumber(0x4000)), ErrorCode.BAD_REQUEST);
        assertError(c.request(StunMethod.CHANNEL_BIND, new XorPeerAddress(P1)), ErrorCode.BAD_REQUEST);
    }

    @Test
    void channelBindWithoutAllocationGets437() {
        assertThat(code(c.channelBind(0x4000, P1))).isEqualTo(ErrorCode.ALLOCATION_MISMATCH);
    }

    @Test
    void aChannelAndAPeerAreBoundOneToOne() {
        c.allocateOk();
        assertThat(code(c.channelBind(0x4000, P1))).isZero();
        assertError(c.channelBind(0x4000, P2), ErrorCode.BAD_REQUEST); // number taken by another peer
        assertError(c.channelBind(0x4001, P1), ErrorCode.BAD_REQUEST); // peer taken by another number
        assertError(c.channelBind(0x4000, new InetSocketAddress(P1.getAddress(), 5001)), ErrorCode.BAD_REQUEST);
        assertThat(code(c.channelBind(0x4000, P1))).isZero(); // refresh of the same binding
        assertThat(code(c.channelBind(0x4001, new InetSocketAddress(P1.getAddress(), 5001)))).isZero(); // other port
        assertThat(h.engine.allocations().get(0).channels.size()).isEqualTo(2);
    }

    @Test
    void channelBindToADeniedPeerGets403() {
        c.allocateOk();
        assertError(c.channelBind(0x4000, sock("192.168.1.1", 80)), ErrorCode.FORBIDDEN);
        assertError(c.channelBind(0x4000, mapped(127, 0, 0, 1, 80)), ErrorCode.FORBIDDEN);
        assertThat(h.engine.allocations().get(0).channels.size()).isZero();
    }

    @Test
    void channelBindInstallsAPermission() {
        c.allocateOk();
        assertThat(code(c.channelBind(0x4000, P1))).isZero();
        assertThat(only(c.sendIndication(new InetSocketAddress(P1.getAddress(), 1234), PING), TurnOutput.ToPeer.class)).hasSize(1);
        assertThat(reaches(new InetSocketAddress(P1.getAddress(), 1234))).isTrue();
    }

    @Test
    void permissionsPerAllocationAreBounded() {
        h = EngineHarness.builder().peerPolicy(peer -> true).build();
        c = TurnTestClient.alice(h, A);
        c.allocateOk();
        StunMessage r = null;
        int n = 0;
        while (n < 4000 && (r == null || code(r) == 0)) {
            InetSocketAddress[] peers = new InetSocketAddress[100];
            for (int j = 0; j < peers.length; j++, n++) {
                peers[j] = sock("11.0." + (n >> 8) + "." + (n & 0xFF), 1);
            }
            r = c.createPermission(peers);
        }
        // RFC 8656 §10.2: 508 at a capacity limit, so one client cannot grow the engine without bound
        assertError(r, ErrorCode.INSUFFICIENT_CAPACITY);
        TurnAllocation a = h.engine.allocations().get(0);
        assertThat(a.permissionCount()).isLessThanOrEqualTo(TurnAllocation.MAX_PERMISSIONS);
        while (code(r = c.createPermission(sock("11.0." + (n >> 8) + "." + (n & 0xFF), 1))) == 0) {
            n++;
        }
        assertError(r, ErrorCode.INSUFFICIENT_CAPACITY);
        assertThat(a.permissionCount()).isEqualTo(TurnAllocation.MAX_PERMISSIONS);
        // refreshing permissions it already holds still works at the limit
        assertThat(code(c.createPermission(sock("11.0.0.0", 1)))).isZero();
        int held = a.permissionCount();
        assertThat(code(c.channelBind(0x4000, sock("11.0.0.1", 1)))).isZero();
        assertError(c.channelBind(0x4001, sock("12.0.0.1", 1)), ErrorCode.INSUFFICIENT_CAPACITY);
        assertThat(a.permissionCount()).isEqualTo(held);
    }
}
