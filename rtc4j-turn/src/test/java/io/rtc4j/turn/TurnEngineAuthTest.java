package io.rtc4j.turn;

import static io.rtc4j.turn.EngineHarness.udp;
import static io.rtc4j.turn.TurnTestClient.code;
import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageIntegrity;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.UnknownAttribute;
import io.rtc4j.stun.UnknownAttributes;
import io.rtc4j.stun.Username;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Long-term credentials on the engine (RFC 8489 §9.2.4, RFC 8656 §5). */
class TurnEngineAuthTest {

    private static final FiveTuple A = udp("192.0.2.10", 40000);
    private static final FiveTuple B = udp("192.0.2.11", 40000);
    private static final InetSocketAddress PEER = EngineHarness.sock("198.51.100.1", 5000);

    private final EngineHarness h = EngineHarness.create();

    private static void assertChallenge(StunMessage r, int code) {
        assertThat(code(r)).as("%s", r).isEqualTo(code);
        assertThat(r.getOrNull(Realm.class).value()).isEqualTo(EngineHarness.REALM);
        assertThat(r.getOrNull(Nonce.class)).isNotNull();
        assertThat(r.has(MessageIntegrity.class)).isFalse();
    }

    @Test
    void wrongPasswordGets401() {
        TurnTestClient c = new TurnTestClient(h, A, "alice", "not-her-password");
        StunMessage r = c.allocate();
        assertChallenge(r, ErrorCode.UNAUTHENTICATED);
        assertThat(h.metrics.authFailures()).isEqualTo(1);
        h.assertEmpty();
    }

    @Test
    void unknownUserGetsA401ByteIdenticalToAWrongPassword() {
        TurnTestClient wrong = new TurnTestClient(h, A, "alice", "not-her-password").ready();
        TurnTestClient unknown = new TurnTestClient(h, A, "mallory", "whatever");
        unknown.realm = wrong.realm;
        unknown.nonce = wrong.nonce;
        TransactionId tid = TransactionId.random(h.random);
        List<byte[]> responses = new ArrayList<>();
        for (TurnTestClient c : List.of(wrong, unknown)) {
            StunMessage.Builder b = StunMessage.builder(new MessageType(StunMethod.ALLOCATE, StunClass.REQUEST), tid)
                    .add(new RequestedTransport(17));
            TurnTestClient.Exchange x = c.exchange(c.sign(b));
            assertChallenge(x.response(), ErrorCode.UNAUTHENTICATED);
            responses.add(x.responseBytes());
        }
        // same client, same instant, same transaction: nothing tells a known name from an unknown one
        assertThat(responses.get(1)).isEqualTo(responses.get(0));
        assertThat(h.metrics.authFailures()).isEqualTo(2);
        h.assertEmpty();
    }

    @Test
    void staleNonceGets438WithAFreshNonceAndTheRetrySucceeds() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        String old = c.nonce;
        h.advance(NonceService.DEFAULT_LIFETIME.plusSeconds(1));
        TurnTestClient.Exchange x = c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17)));
        assertChallenge(x.response(), ErrorCode.STALE_NONCE);
        assertThat(x.response().getOrNull(Nonce.class).value()).isNotEqualTo(old);
        assertThat(h.engine.allocationCount()).isZero();
        c.learn(x.response());
        assertThat(c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17))).code()).isZero();
    }

    @Test
    void nonceGoesStaleDuringALongAllocationAndRefreshRecovers() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        c.allocateOk(new Lifetime(3600));
        h.advance(Duration.ofMinutes(11));
        TurnTestClient.Exchange x = c.send(StunMethod.REFRESH, List.of(new Lifetime(3600)));
        assertChallenge(x.response(), ErrorCode.STALE_NONCE);
        assertThat(code(c.refresh(3600))).isZero(); // request() follows the 438
        assertThat(h.engine.allocationCount()).isEqualTo(1);
    }

    @Test
    void tamperedOrForeignNonceIsNotAccepted() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        String good = c.nonce;
        char last = good.charAt(good.length() - 1);
        c.nonce = good.substring(0, good.length() - 1) + (last == 'A' ? 'B' : 'A');
        TurnTestClient.Exchange x = c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17)));
        assertChallenge(x.response(), ErrorCode.STALE_NONCE);
        // a nonce issued to another client address
        c.nonce = TurnTestClient.alice(h, B).ready().nonce;
        assertChallenge(c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17))).response(), ErrorCode.STALE_NONCE);
        c.nonce = "x";
        assertChallenge(c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17))).response(), ErrorCode.STALE_NONCE);
        h.assertEmpty();
        c.nonce = good;
        assertThat(c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17))).code()).isZero();
    }

    @Test
    void anotherUserOnAnExistingAllocationGets441OnlyAfterPassingAuthentication() {
        TurnTestClient alice = TurnTestClient.alice(h, A);
        alice.allocateOk();
        TurnTestClient bob = new TurnTestClient(h, A, "bob", "bob-secret");
        StunMessage r = bob.createPermission(PEER);
        assertThat(code(r)).isEqualTo(ErrorCode.WRONG_CREDENTIALS);
        assertThat(code(bob.refresh(0))).isEqualTo(ErrorCode.WRONG_CREDENTIALS);
        // someone who cannot authenticate as anybody learns nothing about the allocation: plain 401
        TurnTestClient eve = new TurnTestClient(h, A, "bob", "guess");
        eve.realm = alice.realm;
        eve.nonce = alice.nonce;
        assertChallenge(eve.send(StunMethod.REFRESH, List.of(new Lifetime(0))).response(), ErrorCode.UNAUTHENTICATED);
        TurnTestClient nobody = new TurnTestClient(h, A, "nobody", "guess");
        nobody.realm = alice.realm;
        nobody.nonce = alice.nonce;
        assertChallenge(nobody.send(StunMethod.REFRESH, List.of(new Lifetime(0))).response(), ErrorCode.UNAUTHENTICATED);
        assertThat(h.engine.allocationCount()).isEqualTo(1);
        assertThat(code(alice.refresh(600))).isZero();
    }

    @Test
    void wrongPasswordOnAnExistingAllocationGets401AndLeavesItAlone() {
        TurnTestClient alice = TurnTestClient.alice(h, A);
        alice.allocateOk();
        TurnTestClient impostor = new TurnTestClient(h, A, "alice", "wrong");
        impostor.realm = alice.realm;
        impostor.nonce = alice.nonce;
        assertChallenge(impostor.send(StunMethod.REFRESH, List.of(new Lifetime(0))).response(), ErrorCode.UNAUTHENTICATED);
        assertThat(h.engine.allocationCount()).isEqualTo(1);
    }

    @Test
    void integrityWithoutUsernameRealmOrNonceGets400() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        List<List<StunAttribute>> partial = List.of(
                List.of(new Realm(c.realm), new Nonce(c.nonce)),
                List.of(new Username("alice"), new Nonce(c.nonce)),
                List.of(new Username("alice"), new Realm(c.realm)));
        for (List<StunAttribute> attrs : partial) {
            StunMessage.Builder b = c.builder(StunMethod.ALLOCATE).add(new RequestedTransport(17)).addAll(attrs);
            TurnTestClient.Exchange x = c.exchange(c.encode(b.build(), StunProtection.integrity(c.key)));
            assertThat(x.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(x.response().has(MessageIntegrity.class)).isFalse();
        }
        h.assertEmpty();
    }

    @Test
    void modifiedSignedRequestFailsIntegrity() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        StunMessage.Builder b = c.builder(StunMethod.ALLOCATE).add(new RequestedTransport(17)).add(new Lifetime(600));
        byte[] signed = c.sign(b);
        signed[20 + 8 + 4 + 3] ^= 1; // the LIFETIME value
        assertChallenge(c.exchange(signed).response(), ErrorCode.UNAUTHENTICATED);
        h.assertEmpty();
    }

    @Test
    void unknownComprehensionRequiredAttributeIsCheckedAfterAuthentication() {
        TurnTestClient c = TurnTestClient.alice(h, A);
        UnknownAttribute odd = new UnknownAttribute(0x0044, Bytes.of(new byte[] {1, 2, 3, 4}));
        TurnTestClient.Exchange first = c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17), odd));
        assertThat(first.code()).isEqualTo(ErrorCode.UNAUTHENTICATED); // no 420 to strangers
        c.learn(first.response());
        StunMessage r = c.send(StunMethod.ALLOCATE, List.of(new RequestedTransport(17), odd)).response();
        assertThat(code(r)).isEqualTo(ErrorCode.UNKNOWN_ATTRIBUTE);
        assertThat(r.getOrNull(UnknownAttributes.class).types()).containsExactly(0x0044);
        assertThat(r.verifyIntegrity(c.key)).isTrue();
        h.assertEmpty();
    }

    @Test
    void unknownMethodGets400() {
        TurnTestClient c = TurnTestClient.alice(h, A).ready();
        StunMessage.Builder b = StunMessage.builder(
                new MessageType(new io.rtc4j.stun.StunMethod(0x00B), StunClass.REQUEST), TransactionId.random(h.random));
        assertThat(c.exchange(c.sign(b)).code()).isEqualTo(ErrorCode.BAD_REQUEST);
        h.assertEmpty();
    }

    @Test
    void restCredentialsWorkUntilTheyExpire() {
        TurnCredentials creds = TurnCredentials.mint(EngineHarness.SHARED_SECRET, "dave", Duration.ofSeconds(60), h.now());
        TurnTestClient dave = new TurnTestClient(h, A, creds.username(), creds.password());
        dave.allocateOk();
        h.advance(Duration.ofSeconds(60)); // still good during its expiry second (as coturn)
        TurnTestClient again = new TurnTestClient(h, B, creds.username(), creds.password());
        assertThat(code(again.allocate())).isZero();
        h.advance(Duration.ofSeconds(1));
        TurnTestClient late = new TurnTestClient(h, udp("192.0.2.12", 40000), creds.username(), creds.password());
        assertChallenge(late.allocate(), ErrorCode.UNAUTHENTICATED);
        // a forged REST password never works
        TurnTestClient forged = new TurnTestClient(h, udp("192.0.2.13", 40000),
                TurnCredentials.mint("other".getBytes(), "dave", Duration.ofSeconds(600), h.now()).username(), "nope");
        assertChallenge(forged.allocate(), ErrorCode.UNAUTHENTICATED);
        // the allocation made while the credential was valid keeps the key it was made with
        assertThat(code(dave.refresh(600))).isZero();
    }
}
