package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.sock;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.MessageIntegrity;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.Username;
import io.rtc4j.turn.client.TurnClientConfig;
import io.rtc4j.turn.client.TurnClientEvent;
import io.rtc4j.turn.client.TurnClientEvent.EndReason;
import io.rtc4j.turn.client.TurnClientEvent.Failure;
import io.rtc4j.turn.client.TurnClientEvent.TurnAllocationEnded;
import io.rtc4j.turn.client.TurnClientEvent.TurnRequestFailed;
import io.rtc4j.turn.client.TurnClientState;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * {@code TurnClient} against the real {@link TurnServerEngine}, in memory on virtual time (RFC 8656 client
 * side): the credential dance, stale nonces, refreshes over long runs, data both ways, release, loss.
 */
class TurnClientEndToEndTest {
    static final InetSocketAddress PEER = sock("198.51.100.1", 5000);

    private final EngineHarness h = EngineHarness.create();

    /** The requests the client sent, decoded (data and indications left out). */
    private static List<StunMessage> requests(ClientServerLink link) {
        return link.sent.stream()
                .map(TurnTestClient::decodeOrNull)
                .filter(Objects::nonNull)
                .filter(m -> m.messageClass() == StunClass.REQUEST)
                .toList();
    }

    private static long count(ClientServerLink link, StunMethod method) {
        return requests(link).stream().filter(m -> m.method().equals(method)).count();
    }

    @Test
    void allocatesWithTheLongTermCredentialDance() {
        ClientServerLink link = ClientServerLink.udp(h);
        TurnClientEvent.TurnAllocated a = link.allocate();

        assertThat(a.relayed()).containsExactly(new InetSocketAddress(EngineHarness.RELAY_V4, 49152));
        assertThat(a.mapped()).isEqualTo(link.tuple.client());
        assertThat(a.lifetime()).isEqualTo(Duration.ofSeconds(600));
        assertThat(link.client.state()).isEqualTo(TurnClientState.ALLOCATED);
        assertThat(link.client.relayedAddresses()).isEqualTo(a.relayed());
        // RFC 8489 §9.2: unsigned first, 401 with REALM and NONCE, then signed with all four attributes
        List<StunMessage> sent = requests(link);
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0).has(MessageIntegrity.class)).isFalse();
        assertThat(sent.get(1).getOrNull(Username.class).value()).isEqualTo(EngineHarness.USER);
        assertThat(sent.get(1).getOrNull(Realm.class).value()).isEqualTo(EngineHarness.REALM);
        assertThat(sent.get(1).has(Nonce.class)).isTrue();
        assertThat(sent.get(1).has(MessageIntegrity.class)).isTrue();
        assertThat(sent.get(1).transactionId()).isNotEqualTo(sent.get(0).transactionId());
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        assertThat(link.client.droppedTotal()).isZero();
    }

    @Test
    void wrongPasswordFailsTheAllocation() {
        ClientServerLink link = new ClientServerLink(h, EngineHarness.udp("192.0.2.10", 40000),
                TurnClientConfig.builder(EngineHarness.USER, "wrong").build());
        link.client.allocate(link.now());
        link.settle();
        assertThat(link.events(TurnRequestFailed.class)).singleElement().satisfies(f -> {
            assertThat(f.method()).isEqualTo(StunMethod.ALLOCATE);
            assertThat(f.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        });
        assertThat(link.events(TurnAllocationEnded.class)).containsExactly(new TurnAllocationEnded(EndReason.ALLOCATE_FAILED));
        assertThat(link.client.state()).isEqualTo(TurnClientState.CLOSED);
        assertThat(count(link, StunMethod.ALLOCATE)).isEqualTo(2); // no endless retrying
    }

    @Test
    void staleNonceIsRecoveredWithTheNewNonce() {
        EngineHarness h = EngineHarness.builder().nonceLifetime(Duration.ofMinutes(2)).build();
        ClientServerLink link = ClientServerLink.udp(h);
        link.allocate();
        link.advance(Duration.ofMinutes(3)); // past the server's nonce lifetime
        link.client.createPermission(link.now(), PEER.getAddress());
        link.settle();
        assertThat(link.events(TurnClientEvent.TurnPermissionCreated.class)).hasSize(1);
        assertThat(link.events(TurnRequestFailed.class)).isEmpty();
        assertThat(link.client.staleNonceRetries()).isEqualTo(1);
        assertThat(link.client.hasPermission(PEER.getAddress())).isTrue();
    }

    @Test
    void refreshKeepsTheAllocationForAnHour() {
        ClientServerLink link = ClientServerLink.udp(h);
        link.allocate();
        link.advance(Duration.ofHours(1));
        // 600 s lifetime, refreshed 60 s early: at 540, 1080, ... 3240 s
        assertThat(link.events(TurnClientEvent.TurnRefreshed.class)).hasSize(6);
        assertThat(link.events(TurnAllocationEnded.class)).isEmpty();
        assertThat(link.events(TurnRequestFailed.class)).isEmpty();
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        assertThat(EngineHarness.only(h.log, TurnOutput.AllocationDeleted.class)).isEmpty();
        assertThat(link.client.staleNonceRetries()).as("the 10-minute nonces went stale on the way").isPositive();
    }

    @Test
    void permissionAndChannelRefreshKeepDataFlowingForHalfAnHour() {
        ClientServerLink link = ClientServerLink.udp(h);
        link.echo = true;
        link.allocate();
        link.client.createPermission(link.now(), PEER.getAddress());
        int channel = link.client.bindChannel(link.now(), PEER);
        link.settle();
        assertThat(channel).isBetween(0x4000, 0x4FFF);
        for (int i = 0; i < 180; i++) {
            link.advance(Duration.ofSeconds(10));
            link.send(PEER, "ping " + i);
            assertThat(link.received()).as("echo after %d s", (i + 1) * 10).last().isEqualTo("ping " + i);
        }
        assertThat(link.received()).hasSize(180);
        assertThat(link.events(TurnRequestFailed.class)).isEmpty();
        // permissions last 300 s and channels 600 s (RFC 8656 §9, §12): refreshed, not merely lucky
        assertThat(count(link, StunMethod.CREATE_PERMISSION)).isGreaterThanOrEqualTo(6);
        assertThat(count(link, StunMethod.CHANNEL_BIND)).isGreaterThanOrEqualTo(3);
        assertThat(h.metrics.drops(DropReason.NO_PERMISSION)).isZero();
        assertThat(h.metrics.drops(DropReason.CHANNEL_NOT_BOUND)).isZero();
    }

    @Test
    void dataBothWaysThroughIndicationsThenChannelData() {
        ClientServerLink link = ClientServerLink.udp(h);
        link.allocate();
        link.client.createPermission(link.now(), PEER.getAddress());
        link.settle();
        assertThat(link.client.hasPermission(PEER.getAddress())).isTrue();

        link.send(PEER, "via send");
        assertThat(firstByteOfLastSent(link)).as("a Send indication").isLessThan(0x40);
        assertThat(link.peerReceived()).containsExactly("via send");
        assertThat(link.toPeers.get(0).peer()).isEqualTo(PEER);
        link.peerSends(PEER, bytes("via data"));
        assertThat(link.received()).containsExactly("via data");
        assertThat(link.events(TurnClientEvent.TurnDataReceived.class).get(0).peer()).isEqualTo(PEER);

        int channel = link.client.bindChannel(link.now(), PEER);
        link.settle();
        assertThat(link.events(TurnClientEvent.TurnChannelBound.class))
                .containsExactly(new TurnClientEvent.TurnChannelBound(channel, PEER));
        link.send(PEER, "via channel");
        assertThat(firstByteOfLastSent(link)).as("ChannelData").isEqualTo(channel >> 8);
        assertThat(link.peerReceived()).containsExactly("via send", "via channel");
        int before = link.sent.size();
        link.peerSends(PEER, bytes("channel back"));
        assertThat(link.received()).containsExactly("via data", "channel back");
        assertThat(link.sent).hasSize(before);
        assertThat(link.client.droppedTotal()).isZero();
    }

    @Test
    void releaseDeletesTheAllocation() {
        ClientServerLink link = ClientServerLink.udp(h);
        link.allocate();
        link.client.createPermission(link.now(), PEER.getAddress());
        link.client.bindChannel(link.now(), PEER);
        link.settle();
        link.client.release(link.now());
        link.settle();
        assertThat(link.events(TurnAllocationEnded.class)).containsExactly(new TurnAllocationEnded(EndReason.RELEASED));
        assertThat(link.client.state()).isEqualTo(TurnClientState.CLOSED);
        StunMessage last = requests(link).get(requests(link).size() - 1);
        assertThat(last.method()).isEqualTo(StunMethod.REFRESH);
        assertThat(last.getOrNull(io.rtc4j.stun.Lifetime.class).value()).isZero();
        assertThat(EngineHarness.only(h.log, TurnOutput.AllocationDeleted.class))
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).isEqualTo(TurnOutput.DeleteReason.CLIENT_REFRESH_ZERO));
        int sent = link.sent.size();
        link.advance(Duration.ofHours(1));
        assertThat(link.sent).as("nothing after release").hasSize(sent);
        h.assertEmpty();
    }

    @Test
    void lostRequestsAreRetransmitted() {
        ClientServerLink link = ClientServerLink.udp(h);
        int[] n = {0};
        link.dropToServer = b -> n[0]++ < 2; // the first Allocate and its first retransmission
        link.client.allocate(link.now());
        link.settle();
        link.advance(Duration.ofSeconds(2)); // RFC 8489 §6.2.1: again at 500 ms (lost) and 1500 ms
        assertThat(link.events(TurnClientEvent.TurnAllocated.class)).hasSize(1);
        assertThat(link.droppedToServer).isEqualTo(2);
        assertThat(link.client.retransmissions()).isEqualTo(2);
        assertThat(h.engine.allocationCount()).isEqualTo(1);
    }

    @Test
    void lostSuccessResponseGetsTheSameAnswerAgain() {
        ClientServerLink link = ClientServerLink.udp(h);
        boolean[] dropped = {false};
        link.dropToClient = b -> {
            StunMessage m = TurnTestClient.decodeOrNull(b);
            boolean drop = !dropped[0] && m != null && m.messageClass() == StunClass.SUCCESS_RESPONSE;
            dropped[0] |= drop;
            return drop;
        };
        link.client.allocate(link.now());
        link.settle();
        assertThat(link.events).isEmpty();
        link.advance(Duration.ofSeconds(1));
        // the retransmission has the same transaction id: the server resends its answer (RFC 8656 §7.2)
        assertThat(link.events(TurnClientEvent.TurnAllocated.class)).hasSize(1);
        assertThat(link.events(TurnRequestFailed.class)).isEmpty();
        assertThat(h.engine.allocationCount()).isEqualTo(1);
    }

    @Test
    void unreachableServerLetsTheAllocationExpire() {
        ClientServerLink link = ClientServerLink.udp(h);
        link.allocate();
        link.dropToServer = b -> true;
        link.advance(Duration.ofMinutes(11));
        assertThat(link.events(TurnRequestFailed.class)).singleElement().satisfies(f -> {
            assertThat(f.method()).isEqualTo(StunMethod.REFRESH);
            assertThat(f.failure()).isEqualTo(Failure.TIMED_OUT);
        });
        assertThat(link.events(TurnAllocationEnded.class)).containsExactly(new TurnAllocationEnded(EndReason.EXPIRED));
    }

    @Test
    void errorResponsesAreSurfacedWithTheirCode() {
        ClientServerLink link = ClientServerLink.udp(h);
        link.allocate();
        link.client.createPermission(link.now(), EngineHarness.ip("10.1.2.3")); // refused by the peer policy
        link.client.bindChannel(link.now(), sock("2001:db8:beef::9", 6000)); // IPv6 peer, IPv4 relay
        link.settle();
        assertThat(link.events(TurnRequestFailed.class)).extracting(TurnRequestFailed::method, TurnRequestFailed::code)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(StunMethod.CREATE_PERMISSION, ErrorCode.FORBIDDEN),
                        org.assertj.core.groups.Tuple.tuple(StunMethod.CHANNEL_BIND, ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH));
        assertThat(link.client.hasPermission(EngineHarness.ip("10.1.2.3"))).isFalse();
        assertThat(link.client.state()).isEqualTo(TurnClientState.ALLOCATED);
    }

    @Test
    void tcpFramesEverythingAndPadsChannelData() {
        ClientServerLink link = ClientServerLink.tcp(h);
        link.echo = true;
        link.allocate();
        link.client.createPermission(link.now(), PEER.getAddress());
        link.settle();
        link.send(PEER, "odd"); // Send indication, echoed as a Data indication
        int channel = link.client.bindChannel(link.now(), PEER);
        link.settle();
        for (String s : List.of("a", "bb", "ccc", "dddd", "eeeee")) {
            link.send(PEER, s);
            assertThat(link.sent.get(link.sent.size() - 1).remaining() % 4).as("padded").isZero();
        }
        assertThat(channel).isEqualTo(0x4000);
        assertThat(link.received()).containsExactly("odd", "a", "bb", "ccc", "dddd", "eeeee");
        assertThat(link.peerReceived()).containsExactly("odd", "a", "bb", "ccc", "dddd", "eeeee");
        link.advance(Duration.ofMinutes(30));
        assertThat(link.events(TurnRequestFailed.class)).isEmpty();
        assertThat(link.client.retransmissions()).as("no retransmission over TCP").isZero();
        link.client.release(link.now());
        link.settle();
        assertThat(link.events(TurnAllocationEnded.class)).containsExactly(new TurnAllocationEnded(EndReason.RELEASED));
        assertThat(h.engine.allocationCount()).isZero();
        assertThat(link.client.droppedTotal()).isZero();
    }

    private static int firstByteOfLastSent(ClientServerLink link) {
        ByteBuffer b = link.sent.get(link.sent.size() - 1);
        return b.get(b.position()) & 0xFF;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
