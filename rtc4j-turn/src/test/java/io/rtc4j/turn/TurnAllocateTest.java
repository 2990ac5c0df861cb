package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.RELAY_V4;
import static io.rtc4j.turn.EngineHarness.RELAY_V6;
import static io.rtc4j.turn.EngineHarness.only;
import static io.rtc4j.turn.EngineHarness.udp;
import static io.rtc4j.turn.TurnTestClient.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.AdditionalAddressFamily;
import io.rtc4j.stun.AddressErrorCode;
import io.rtc4j.stun.AddressFamily;
import io.rtc4j.stun.DontFragment;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.EvenPort;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageIntegrity;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedAddressFamily;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.ReservationToken;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.stun.XorRelayedAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Allocate (RFC 8656 §7.2), step by step. */
class TurnAllocateTest {

    private static final FiveTuple A = udp("192.0.2.10", 40000);
    private static final FiveTuple B = udp("192.0.2.11", 40000);
    private static final FiveTuple C = udp("192.0.2.12", 40000);

    private EngineHarness h = EngineHarness.create();

    /** An authenticated error: the code, and MESSAGE-INTEGRITY with the client's key (RFC 8489 §9.2.4). */
    private static void assertSignedError(TurnTestClient c, StunMessage r, int expected) {
        assertThat(code(r)).as("%s", r).isEqualTo(expected);
        assertThat(r.messageClass()).isEqualTo(StunClass.ERROR_RESPONSE);
        assertThat(r.verifyIntegrity(c.key)).as("integrity of %s", r).isTrue();
    }

    @Test
    void firstAllocateIsChallengedWithRealmAndNonce() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        TurnTestClient.Exchange x = c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17)));
        assertThat(x.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(x.response().getOrNull(Realm.class).value()).isEqualTo(EngineHarness.REALM);
        assertThat(x.response().getOrNull(Nonce.class).value()).isNotEmpty();
        assertThat(x.response().has(MessageIntegrity.class)).isFalse();
        assertThat(h.engine.allocationCount()).isZero();
        h.assertEmpty();
    }

    @Test
    void allocateSucceedsWithRelayedAddressLifetimeAndMappedAddress() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        StunMessage r = c.allocateOk(); // integrity verified by the client
        assertThat(r.type().method()).isEqualTo(StunMethod.ALLOCATE);
        InetSocketAddress relayed = r.getOrNull(XorRelayedAddress.class).address();
        assertThat(relayed.getAddress()).isEqualTo(RELAY_V4);
        assertThat(relayed.getPort()).isBetween(49152, 65535);
        assertThat(r.getOrNull(Lifetime.class).value()).isEqualTo(600);
        assertThat(r.getOrNull(XorMappedAddress.class).address()).isEqualTo(A.client());
        assertThat(r.has(ReservationToken.class)).isFalse();

        List<TurnOutput.AllocationCreated> created = only(h.log, TurnOutput.AllocationCreated.class);
        assertThat(created).containsExactly(new TurnOutput.AllocationCreated(A, "alice", List.of(relayed), 600));
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        assertThat(h.relays.openCount()).isEqualTo(1);
        assertThat(h.deadline()).isEqualTo(h.now().plusSeconds(600));
        h.assertConsistent();
    }

    @Test
    void retransmittedAllocateGetsTheIdenticalResponse() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        TurnTestClient.Exchange first = c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17)));
        assertThat(first.code()).isZero();
        h.advance(Duration.ofMillis(500));
        TurnTestClient.Exchange again = c.exchange(first.request());
        assertThat(again.responseBytes()).isEqualTo(first.responseBytes());
        assertThat(only(again.outputs(), TurnOutput.AllocationCreated.class)).isEmpty();
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        assertThat(h.relays.opened).hasSize(1);
        h.assertConsistent();
    }

    @Test
    void secondAllocateWithAnotherTransactionGets437() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        c.allocateOk();
        assertSignedError(c, c.allocate(), ErrorCode.ALLOCATION_MISMATCH);
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        h.assertConsistent();
    }

    @Test
    void anotherUsersAllocateOnAnExistingFiveTupleGets437AndNeverTheCachedResponse() {
        TurnTestClient alice = TurnTestClient.alice(h, A).ready();
        TurnTestClient.Exchange first = alice.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17)));
        assertThat(first.code()).isZero();
        // bob, on the same 5-tuple, replays alice's transaction id with his own valid credentials
        TurnTestClient bob = new TurnTestClient(h, A, "bob", "bob-secret");
        bob.realm = alice.realm;
        bob.nonce = alice.nonce;
        var b = io.rtc4j.stun.StunMessage.builder(
                        new io.rtc4j.stun.MessageType(StunMethod.ALLOCATE, StunClass.REQUEST), first.tid())
                .add(new RequestedTransport(17));
        TurnTestClient.Exchange x = bob.exchange(bob.sign(b));
        assertThat(x.responseBytes()).isNotEqualTo(first.responseBytes());
        assertSignedError(bob, x.response(), ErrorCode.ALLOCATION_MISMATCH);
    }

    @Test
    void missingRequestedTransportGets400() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        assertSignedError(c, c.request(StunMethod.ALLOCATE), ErrorCode.BAD_REQUEST);
        h.assertEmpty();
    }

    @Test
    void tcpRelayGets442() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        assertSignedError(c, c.request(StunMethod.ALLOCATE, new RequestedTransport(6)), ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
        h.assertEmpty();
    }

    @Test
    void unsupportedOrUnknownFamilyGets440() {
        h = EngineHarness.builder().relays(new FakeRelayAllocator(RELAY_V4, 49152, 49200, null, 0, 0)).build();
        TurnTestClient c = TurnTestClient.alice(h, A);
        assertSignedError(c, c.allocate(RequestedAddressFamily.of(AddressFamily.IPV6)), ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
        assertSignedError(c, c.allocate(new RequestedAddressFamily(0x03)), ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
        h.assertEmpty();
        // and no IPv4 at all: a plain Allocate asks for IPv4 (RFC 8656 §7.2 step 7)
        h = EngineHarness.builder().relays(new FakeRelayAllocator(null, 0, 0, RELAY_V6, 49152, 49200)).build();
        c = TurnTestClient.alice(h, A);
        assertSignedError(c, c.allocate(), ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
        assertThat(code(c.allocate(RequestedAddressFamily.of(AddressFamily.IPV6)))).isZero();
        assertThat(c.relayed().get(0).getAddress()).isEqualTo(RELAY_V6);
    }

    @Test
    void requestedIpv6GivesAnIpv6Relay() {
        TurnTestClient c = TurnTestClient.alice(h, udp("2001:db8:1::5", 40000));
        c.allocateOk(RequestedAddressFamily.of(AddressFamily.IPV6));
        assertThat(c.relayed()).hasSize(1);
        assertThat(c.relayed().get(0).getAddress()).isEqualTo(RELAY_V6);
        h.assertConsistent();
    }

    @Test
    void additionalAddressFamilyGivesADualStackAllocation() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        StunMessage r = c.allocateOk(AdditionalAddressFamily.of(AddressFamily.IPV6));
        assertThat(c.relayed()).extracting(InetSocketAddress::getAddress).containsExactly(RELAY_V4, RELAY_V6);
        assertThat(r.has(AddressErrorCode.class)).isFalse();
        assertThat(only(h.log, TurnOutput.AllocationCreated.class).get(0).relays()).hasSize(2);
        assertThat(h.relays.openCount()).isEqualTo(2);
        h.assertConsistent();
        assertThat(code(c.refresh(0))).isZero();
        h.assertEmpty();
    }

    @Test
    void additionalIpv6WithoutIpv6SupportStillAllocatesIpv4WithAddressErrorCode440() {
        h = EngineHarness.builder().relays(new FakeRelayAllocator(RELAY_V4, 49152, 49200, null, 0, 0)).build();
        TurnTestClient c = TurnTestClient.alice(h, A);
        StunMessage r = c.allocateOk(AdditionalAddressFamily.of(AddressFamily.IPV6));
        assertThat(c.relayed()).extracting(InetSocketAddress::getAddress).containsExactly(RELAY_V4);
        AddressErrorCode e = r.getOrNull(AddressErrorCode.class);
        assertThat(e.family()).isEqualTo(AddressFamily.IPV6);
        assertThat(e.code()).isEqualTo(ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED);
        h.assertConsistent();
    }

    @Test
    void additionalIpv6WithIpv6PortsExhaustedGivesAddressErrorCode508() {
        h = EngineHarness.builder().relays(new FakeRelayAllocator(RELAY_V4, 49152, 49200, RELAY_V6, 49152, 49152)).build();
        TurnTestClient first = TurnTestClient.alice(h, A);
        first.allocateOk(AdditionalAddressFamily.of(AddressFamily.IPV6));
        TurnTestClient second = TurnTestClient.alice(h, B);
        StunMessage r = second.allocateOk(AdditionalAddressFamily.of(AddressFamily.IPV6));
        assertThat(second.relayed()).hasSize(1);
        assertThat(r.getOrNull(AddressErrorCode.class).code()).isEqualTo(ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertConsistent();
    }

    @Test
    void forbiddenCombinationsGet400() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        ReservationToken token = new ReservationToken(1234);
        List<List<StunAttribute>> bad = List.of(
                List.of(token, new EvenPort(false)),
                List.of(token, RequestedAddressFamily.of(AddressFamily.IPV4)),
                List.of(token, AdditionalAddressFamily.of(AddressFamily.IPV6)),
                List.of(RequestedAddressFamily.of(AddressFamily.IPV4), AdditionalAddressFamily.of(AddressFamily.IPV6)),
                List.of(AdditionalAddressFamily.of(AddressFamily.IPV4)),
                // RFC 8656 §7.2 step 8: EVEN-PORT with the R bit and ADDITIONAL-ADDRESS-FAMILY
                List.of(new EvenPort(true), AdditionalAddressFamily.of(AddressFamily.IPV6)));
        for (List<StunAttribute> attrs : bad) {
            assertSignedError(c, c.allocate(attrs.toArray(StunAttribute[]::new)), ErrorCode.BAD_REQUEST);
        }
        h.assertEmpty();
    }

    @Test
    void evenPortGivesAnEvenPort() {
        h = EngineHarness.builder().relays(new FakeRelayAllocator(RELAY_V4, 49153, 49200, null, 0, 0)).build();
        TurnTestClient odd = TurnTestClient.alice(h, A);
        odd.allocateOk();
        assertThat(odd.relayed().get(0).getPort()).isEqualTo(49153); // the allocator's first free port
        TurnTestClient even = TurnTestClient.alice(h, B);
        even.allocateOk(new EvenPort(false));
        assertThat(even.relayed().get(0).getPort() % 2).isZero();
        h.assertConsistent();
    }

    @Test
    void dontFragmentIsPassedToTheAllocator() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        c.allocateOk(DontFragment.INSTANCE);
        assertThat(c.relay().dontFragment).isTrue();
    }

    @Test
    void aTokenReservedOnOneEngineIsHonouredByAnother() {
        // the RTCP Allocate of an RTP/RTCP pair comes from another socket, which SO_REUSEPORT may hand to
        // another event loop: the engines share the reservation table and the port pool
        RelayReservations shared = new RelayReservations();
        EngineHarness one = EngineHarness.builder().reservations(shared).relays(h.relays).seed(1).build();
        EngineHarness two = EngineHarness.builder().reservations(shared).relays(h.relays).seed(2).build();
        TurnTestClient rtp = TurnTestClient.alice(one, A);
        long token = rtp.allocateOk(new EvenPort(true)).getOrNull(ReservationToken.class).value();
        int port = rtp.relayed().get(0).getPort();
        assertThat(shared.size()).isEqualTo(1);

        TurnTestClient rtcp = TurnTestClient.alice(two, B);
        rtcp.allocateOk(new ReservationToken(token));
        assertThat(rtcp.relayed().get(0).getPort()).isEqualTo(port + 1);
        assertThat(shared.size()).isZero();
        assertThat(one.engine.reservationCount()).isZero();
        assertThat(two.engine.allocationCount()).isEqualTo(1);
    }

    @Test
    void reservedPortIsUsedByASecondAllocationWithTheToken() {
        TurnTestClient first = TurnTestClient.alice(h, A);
        StunMessage r = first.allocateOk(new EvenPort(true));
        int port = first.relayed().get(0).getPort();
        assertThat(port % 2).isZero();
        long token = r.getOrNull(ReservationToken.class).value();
        assertThat(h.relays.openCount()).isEqualTo(2); // N and the reserved N+1
        assertThat(h.engine.reservationCount()).isEqualTo(1);
        assertThat(h.deadline()).isEqualTo(h.now().plusSeconds(30));

        // any 5-tuple, any user may present the token (RFC 8656 §7.2)
        TurnTestClient second = new TurnTestClient(h, B, "bob", "bob-secret");
        StunMessage r2 = second.allocateOk(new ReservationToken(token));
        assertThat(second.relayed().get(0).getPort()).isEqualTo(port + 1);
        assertThat(r2.has(ReservationToken.class)).isFalse();
        assertThat(h.engine.reservationCount()).isZero();
        h.assertConsistent();

        // a token is good once
        TurnTestClient third = TurnTestClient.alice(h, C);
        assertSignedError(third, third.allocate(new ReservationToken(token)), ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertConsistent();
    }

    @Test
    void reservationExpiresAfter30SecondsAndClosesTheReservedEndpoint() {
        TurnTestClient first = TurnTestClient.alice(h, A);
        long token = first.allocateOk(new EvenPort(true)).getOrNull(ReservationToken.class).value();
        FakeRelayAllocator.FakeRelay reserved = h.relays.opened.get(1);
        h.advance(Duration.ofSeconds(29));
        assertThat(reserved.closed).isFalse();
        h.advance(Duration.ofSeconds(1));
        assertThat(reserved.closed).isTrue();
        assertThat(h.engine.reservationCount()).isZero();
        TurnTestClient second = TurnTestClient.alice(h, B);
        assertSignedError(second, second.allocate(new ReservationToken(token)), ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertConsistent();
    }

    @Test
    void tokenPresentedAtItsExpiryBeforeTheTimerRanIsRefused() {
        TurnTestClient first = TurnTestClient.alice(h, A);
        long token = first.allocateOk(new EvenPort(true)).getOrNull(ReservationToken.class).value();
        TurnTestClient second = TurnTestClient.alice(h, B).ready();
        h.clock.advance(Duration.ofSeconds(30)); // the request arrives before the driver's timer fires
        assertSignedError(second, second.allocate(new ReservationToken(token)), ErrorCode.INSUFFICIENT_CAPACITY);
        assertThat(h.relays.opened.get(1).closed).isTrue();
        h.assertConsistent();
    }

    @Test
    void aReservedIpv6PortCanBeClaimedOnAServerWithoutIpv4() {
        h = EngineHarness.builder().relays(new FakeRelayAllocator(null, 0, 0, RELAY_V6, 49152, 49200)).build();
        TurnTestClient first = TurnTestClient.alice(h, A);
        long token = first.allocateOk(new EvenPort(true), RequestedAddressFamily.of(AddressFamily.IPV6))
                .getOrNull(ReservationToken.class).value();
        TurnTestClient second = TurnTestClient.alice(h, B);
        second.allocateOk(new ReservationToken(token)); // no REQUESTED-ADDRESS-FAMILY allowed, so no IPv4 default
        assertThat(second.relayed().get(0))
                .isEqualTo(new InetSocketAddress(RELAY_V6, first.relayed().get(0).getPort() + 1));
        h.assertConsistent();
    }

    @Test
    void unknownTokenGets508() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        assertSignedError(c, c.allocate(new ReservationToken(99)), ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertEmpty();
    }

    @Test
    void colliding_tokens_never_leak_a_reserved_endpoint() {
        // a degenerate random source: every token is the same number
        h = EngineHarness.builder().engineRandom(() -> 7L).build();
        TurnTestClient first = TurnTestClient.alice(h, A);
        long t1 = first.allocateOk(new EvenPort(true)).getOrNull(ReservationToken.class).value();
        TurnTestClient second = TurnTestClient.alice(h, B);
        StunMessage r2 = second.allocate(new EvenPort(true));
        // either a fresh token or a refusal; never the same token twice (which would orphan the first port)
        if (code(r2) == 0) {
            assertThat(r2.getOrNull(ReservationToken.class).value()).isNotEqualTo(t1);
        } else {
            assertSignedError(second, r2, ErrorCode.INSUFFICIENT_CAPACITY);
        }
        h.assertConsistent();
        TurnTestClient third = TurnTestClient.alice(h, C);
        assertThat(third.allocateOk(new ReservationToken(t1)).getOrNull(XorRelayedAddress.class).address().getPort())
                .isEqualTo(first.relayed().get(0).getPort() + 1);
        h.close();
        h.assertEmpty();
    }

    @Test
    void reservationBitThatCannotBeHonouredGets508() {
        // only an odd port and one even port without a free neighbour
        h = EngineHarness.builder().relays(new FakeRelayAllocator(RELAY_V4, 49153, 49154, null, 0, 0)).build();
        TurnTestClient c = TurnTestClient.alice(h, A);
        assertSignedError(c, c.allocate(new EvenPort(true)), ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertEmpty();
    }

    @Test
    void reservationBitWhenTheReservationTableIsFullGets508RatherThanNoToken() {
        int max = 1024; // TurnRequestHandler.MAX_RESERVATIONS
        h = EngineHarness.builder().relays(new FakeRelayAllocator(RELAY_V4, 40000, 40000 + 2 * max + 10, null, 0, 0)).build();
        for (int i = 0; i < max; i++) {
            TurnTestClient c = TurnTestClient.alice(h, udp("192.0.2.20", 1000 + i));
            assertThat(c.allocateOk(new EvenPort(true)).has(ReservationToken.class)).isTrue();
        }
        TurnTestClient c = TurnTestClient.alice(h, udp("192.0.2.21", 1000));
        assertSignedError(c, c.allocate(new EvenPort(true)), ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertConsistent();
        h.close();
        h.assertEmpty();
    }

    @Test
    void userQuotaGets486() {
        h = EngineHarness.builder().quotas(new QuotaPolicy(1, 0)).build();
        TurnTestClient.alice(h, A).allocateOk();
        TurnTestClient again = TurnTestClient.alice(h, B);
        assertSignedError(again, again.allocate(), ErrorCode.ALLOCATION_QUOTA_REACHED);
        new TurnTestClient(h, C, "bob", "bob-secret").allocateOk();
        h.assertConsistent();
    }

    @Test
    void totalQuotaGets508() {
        h = EngineHarness.builder().quotas(new QuotaPolicy(0, 2)).build();
        TurnTestClient.alice(h, A).allocateOk();
        new TurnTestClient(h, B, "bob", "bob-secret").allocateOk();
        TurnTestClient carol = new TurnTestClient(h, C, "carol", "carol-secret");
        assertSignedError(carol, carol.allocate(), ErrorCode.INSUFFICIENT_CAPACITY);
        h.assertConsistent();
    }

    @Test
    void portExhaustionGets508AndReleasesTheQuota() {
        h = EngineHarness.builder()
                .quotas(new QuotaPolicy(5, 5))
                .relays(new FakeRelayAllocator(RELAY_V4, 49152, 49153, null, 0, 0))
                .build();
        TurnTestClient.alice(h, A).allocateOk();
        TurnTestClient.alice(h, B).allocateOk();
        TurnTestClient third = TurnTestClient.alice(h, C);
        assertSignedError(third, third.allocate(), ErrorCode.INSUFFICIENT_CAPACITY);
        assertThat(h.quotas.total()).isEqualTo(2);
        assertThat(h.quotas.held("alice")).isEqualTo(2);
        h.assertConsistent();
    }

    @Test
    void quotaIsReleasedWhenTheAllocationGoesAway() {
        h = EngineHarness.builder().quotas(new QuotaPolicy(1, 1)).build();
        TurnTestClient a = TurnTestClient.alice(h, A);
        a.allocateOk();
        assertThat(code(a.refresh(0))).isZero();
        TurnTestClient b = TurnTestClient.alice(h, B);
        b.allocateOk();
        h.advance(Duration.ofSeconds(600)); // expiry
        assertThat(h.engine.allocationCount()).isZero();
        TurnTestClient c = TurnTestClient.alice(h, C);
        c.allocateOk(); // the quota of the expired one came back
        h.engine.handleConnectionClosed(h.now(), C);
        h.drain();
        TurnTestClient.alice(h, A).allocateOk();
        h.assertConsistent();
    }
}
