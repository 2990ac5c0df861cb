package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.Data;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunIntegrity;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.stun.XorRelayedAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TURN client as RFC 8656 describes it, speaking to an {@link EngineHarness} over one 5-tuple: requests go
 * out unauthenticated first, the 401 gives REALM and NONCE, the retry carries USERNAME, REALM, NONCE and
 * MESSAGE-INTEGRITY; a 438 refreshes the nonce and retries once. Success responses must verify with the key.
 */
final class TurnTestClient {
    /** One request and its response (the response is null when the engine sent none). */
    record Exchange(TransactionId tid, byte[] request, StunMessage response, byte[] responseBytes, List<TurnOutput> outputs) {
        int code() {
            return TurnTestClient.code(response);
        }
    }

    static final int UDP = 17;

    final EngineHarness h;
    final FiveTuple tuple;
    final String username;
    final byte[] key;
    String realm;
    String nonce;
    boolean fingerprint;
    StunMessage allocateResponse;

    TurnTestClient(EngineHarness h, FiveTuple tuple, String username, String password) {
        this(h, tuple, username, StunIntegrity.longTermKey(username, EngineHarness.REALM, password));
    }

    TurnTestClient(EngineHarness h, FiveTuple tuple, String username, byte[] key) {
        this.h = h;
        this.tuple = tuple;
        this.username = username;
        this.key = key;
    }

    static TurnTestClient alice(EngineHarness h, FiveTuple tuple) {
        return new TurnTestClient(h, tuple, EngineHarness.USER, EngineHarness.PASSWORD);
    }

    // ---- the full procedure ----

    /** Allocate with REQUESTED-TRANSPORT UDP plus {@code extra}; the response is remembered on success. */
    StunMessage allocate(StunAttribute... extra) {
        List<StunAttribute> attrs = new ArrayList<>();
        attrs.add(new RequestedTransport(UDP));
        attrs.addAll(Arrays.asList(extra));
        StunMessage r = request(StunMethod.ALLOCATE, attrs);
        if (code(r) == 0) {
            allocateResponse = r;
        }
        return r;
    }

    /** Allocates and asserts success. */
    StunMessage allocateOk(StunAttribute... extra) {
        StunMessage r = allocate(extra);
        assertThat(code(r)).as("Allocate: %s", r).isZero();
        return r;
    }

    StunMessage refresh(long lifetime) {
        return request(StunMethod.REFRESH, List.of(new Lifetime(lifetime)));
    }

    StunMessage createPermission(InetSocketAddress... peers) {
        return request(StunMethod.CREATE_PERMISSION, Arrays.stream(peers).<StunAttribute>map(XorPeerAddress::new).toList());
    }

    StunMessage channelBind(int channel, InetSocketAddress peer) {
        return request(StunMethod.CHANNEL_BIND, List.of(new ChannelNumber(channel), new XorPeerAddress(peer)));
    }

    StunMessage request(StunMethod method, StunAttribute... attrs) {
        return request(method, Arrays.asList(attrs));
    }

    /** Sends, answering a first 401 and a 438 as a client does; returns the final response. */
    StunMessage request(StunMethod method, List<StunAttribute> attrs) {
        Exchange x = send(method, attrs);
        if (x.code() == ErrorCode.UNAUTHENTICATED && nonce == null) {
            learn(x.response());
            x = send(method, attrs);
        }
        if (x.code() == ErrorCode.STALE_NONCE) {
            learn(x.response());
            x = send(method, attrs);
        }
        assertThat(x.response()).as("no response to %s", method).isNotNull();
        if (x.response().messageClass() == StunClass.SUCCESS_RESPONSE) {
            assertThat(x.response().verifyIntegrity(key)).as("success response integrity").isTrue();
        }
        return x.response();
    }

    /** Learns REALM and NONCE from a first unauthenticated request (a Refresh, which creates nothing). */
    TurnTestClient ready() {
        Exchange x = send(StunMethod.REFRESH, List.of());
        assertThat(x.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        learn(x.response());
        return this;
    }

    /** Takes REALM and NONCE from a 401 or 438. */
    void learn(StunMessage challenge) {
        assertThat(challenge.getOrNull(Realm.class)).as("REALM in %s", challenge).isNotNull();
        assertThat(challenge.getOrNull(Nonce.class)).as("NONCE in %s", challenge).isNotNull();
        realm = challenge.getOrNull(Realm.class).value();
        nonce = challenge.getOrNull(Nonce.class).value();
    }

    // ---- one transaction ----

    StunMessage.Builder builder(StunMethod method) {
        return StunMessage.builder(new MessageType(method, StunClass.REQUEST), TransactionId.random(h.random));
    }

    /** Builds the request, signed once a nonce is known, and sends it. */
    Exchange send(StunMethod method, List<StunAttribute> attrs) {
        StunMessage.Builder b = builder(method).addAll(attrs);
        return exchange(nonce == null ? encode(b.build(), StunProtection.NONE) : sign(b));
    }

    /** Adds USERNAME, REALM, NONCE and MESSAGE-INTEGRITY with this client's key. */
    byte[] sign(StunMessage.Builder b) {
        b.add(new Username(username)).add(new Realm(realm)).add(new Nonce(nonce));
        return encode(b.build(), StunProtection.integrity(key));
    }

    byte[] encode(StunMessage m, StunProtection p) {
        return StunCodec.encode(m, fingerprint ? p.withFingerprint() : p);
    }

    /** Sends raw request bytes and picks out the response with the same transaction id. */
    Exchange exchange(byte[] request) {
        TransactionId tid = TransactionId.of(Arrays.copyOfRange(request, 8, 20));
        List<TurnOutput> out = h.fromClient(tuple, request);
        StunMessage response = null;
        byte[] responseBytes = null;
        for (TurnOutput o : out) {
            if (o instanceof TurnOutput.ToClient c && c.tuple().equals(tuple)) {
                StunMessage m = decodeOrNull(c.data());
                if (m != null && m.transactionId().equals(tid)) {
                    assertThat(response).as("two responses to one request").isNull();
                    response = m;
                    responseBytes = EngineHarness.bytes(c.data());
                }
            }
        }
        return new Exchange(tid, request, response, responseBytes, out);
    }

    // ---- data ----

    List<TurnOutput> sendIndication(InetSocketAddress peer, byte[] data) {
        StunMessage m = StunMessage.builder(new MessageType(StunMethod.SEND, StunClass.INDICATION), TransactionId.random(h.random))
                .add(new XorPeerAddress(peer))
                .add(new Data(Bytes.of(data)))
                .build();
        return h.fromClient(tuple, StunCodec.encode(m, StunProtection.NONE));
    }

    List<TurnOutput> channelData(int channel, byte[] data) {
        return h.fromClient(tuple, channelDataBytes(channel, data, tuple.transport().isStream()));
    }

    static byte[] channelDataBytes(int channel, byte[] data, boolean pad) {
        int padding = pad ? (4 - (data.length & 3)) & 3 : 0;
        ByteBuffer b = ByteBuffer.allocate(4 + data.length + padding);
        b.putShort((short) channel).putShort((short) data.length).put(data);
        return b.array();
    }

    // ---- reading responses ----

    /** The relayed addresses of the last successful Allocate. */
    List<InetSocketAddress> relayed() {
        return allocateResponse.attributes().stream()
                .filter(a -> a instanceof XorRelayedAddress)
                .map(a -> ((XorRelayedAddress) a).address())
                .toList();
    }

    /** The live fake relay endpoint behind the first relayed address. */
    FakeRelayAllocator.FakeRelay relay() {
        return relay(relayed().get(0));
    }

    FakeRelayAllocator.FakeRelay relay(InetSocketAddress address) {
        return h.relays.live().stream()
                .filter(r -> r.address().equals(address))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no live relay " + address));
    }

    static int code(StunMessage m) {
        if (m == null) {
            return -1;
        }
        ErrorCode e = m.getOrNull(ErrorCode.class);
        return e == null ? 0 : e.code();
    }

    static StunMessage decodeOrNull(ByteBuffer b) {
        try {
            return StunCodec.decode(b.duplicate());
        } catch (StunParseException e) {
            return null;
        }
    }

    static StunMessage decode(ByteBuffer b) {
        try {
            return StunCodec.decode(b.duplicate());
        } catch (StunParseException e) {
            throw new AssertionError("not a STUN message: " + e.getMessage(), e);
        }
    }

    static StunMessage decode(byte[] b) {
        return decode(ByteBuffer.wrap(b));
    }
}
