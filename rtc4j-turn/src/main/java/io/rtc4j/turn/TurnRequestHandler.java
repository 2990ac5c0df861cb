package io.rtc4j.turn;

import io.rtc4j.stun.AdditionalAddressFamily;
import io.rtc4j.stun.AddressErrorCode;
import io.rtc4j.stun.AddressFamily;
import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.DontFragment;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.EvenPort;
import io.rtc4j.stun.Fingerprint;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MappedAddress;
import io.rtc4j.stun.RequestedAddressFamily;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.ReservationToken;
import io.rtc4j.stun.Software;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.UnknownAttributes;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.stun.XorRelayedAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The request half of the TURN server: Binding, Allocate, Refresh, CreatePermission, ChannelBind. */
final class TurnRequestHandler {
    private static final int UDP = 17;

    private final TurnServerContext ctx;
    private final TurnServerEngine engine;
    private final TurnAuth auth;
    // insertion order is expiry order (one lifetime for all, time never goes back), so the head expires first
    private final RelayReservations reservations;

    TurnRequestHandler(TurnServerContext ctx, TurnServerEngine engine) {
        this.ctx = ctx;
        this.engine = engine;
        this.auth = new TurnAuth(ctx, this);
        this.reservations = ctx.reservations();
    }

    void handle(Instant now, FiveTuple from, StunMessage req) {
        ctx.metrics().request();
        StunMethod method = req.method();
        if (method.equals(StunMethod.BINDING)) {
            binding(from, req);
            return;
        }
        boolean turnMethod = method.equals(StunMethod.ALLOCATE)
                || method.equals(StunMethod.REFRESH)
                || method.equals(StunMethod.CREATE_PERMISSION)
                || method.equals(StunMethod.CHANNEL_BIND);
        if (!turnMethod) {
            error(from, req, ErrorCode.BAD_REQUEST, null); // RFC 8489 §6.3.1: unknown method
            return;
        }
        TurnAllocation existing = engine.allocation(from, now);
        byte[] key = auth.authenticate(now, from, req, existing);
        if (key == null) {
            return; // the challenge or error is already queued
        }
        List<Integer> unknown = req.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            error(from, req, ErrorCode.UNKNOWN_ATTRIBUTE, key, new UnknownAttributes(unknown));
            return;
        }
        String username = TurnAuth.username(req);
        switch (method.code()) {
            case 0x003 -> allocate(now, from, req, key, username, existing);
            case 0x004 -> refresh(now, from, req, key, existing);
            case 0x008 -> createPermission(now, from, req, key, existing);
            default -> channelBind(now, from, req, key, existing);
        }
    }

    // RFC 8489 §6.3.1 / RFC 5780 style answer; MAPPED-ADDRESS too, for clients that only read that
    private void binding(FiveTuple from, StunMessage req) {
        List<Integer> unknown = req.unknownComprehensionRequired();
        if (!unknown.isEmpty()) {
            error(from, req, ErrorCode.UNKNOWN_ATTRIBUTE, null, new UnknownAttributes(unknown));
            return;
        }
        respond(from, req, req.response(StunClass.SUCCESS_RESPONSE)
                .add(new XorMappedAddress(from.client()))
                .add(new MappedAddress(from.client())), null);
    }

    // RFC 8656 §7.2
    private void allocate(Instant now, FiveTuple from, StunMessage req, byte[] key, String user, TurnAllocation existing) {
        if (existing != null) {
            // a retransmission gets the same answer, but only the allocation's owner gets it
            if (existing.allocateTransaction.equals(req.transactionId()) && existing.username.equals(user)) {
                engine.emit(new TurnOutput.ToClient(from, ByteBuffer.wrap(existing.allocateResponse)));
            } else {
                error(from, req, ErrorCode.ALLOCATION_MISMATCH, key);
            }
            return;
        }
        RequestedTransport transport = req.getOrNull(RequestedTransport.class);
        if (transport == null) {
            error(from, req, ErrorCode.BAD_REQUEST, key);
            return;
        }
        if (transport.value() != UDP) {
            error(from, req, ErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL, key);
            return;
        }
        EvenPort even = req.getOrNull(EvenPort.class);
        ReservationToken token = req.getOrNull(ReservationToken.class);
        RequestedAddressFamily requested = req.getOrNull(RequestedAddressFamily.class);
        AdditionalAddressFamily additional = req.getOrNull(AdditionalAddressFamily.class);
        boolean reserve = even != null && even.reserveNext();
        if ((token != null && (even != null || requested != null || additional != null))
                || (requested != null && additional != null)
                || (reserve && additional != null) // step 8
                || (additional != null && additional.code() != AddressFamily.IPV6.code())) {
            error(from, req, ErrorCode.BAD_REQUEST, key);
            return;
        }
        AddressFamily family = requested == null ? AddressFamily.IPV4 : requested.family().orElse(null);
        // a reserved relay already has its family, whatever this server supports by default
        if (token == null && (family == null || !ctx.relays().supports(family))) {
            error(from, req, ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED, key);
            return;
        }
        String quotaKey = ctx.authenticator().quotaKey(user);
        QuotaResult quota = ctx.quotas().tryAcquire(quotaKey);
        if (quota != QuotaResult.OK) {
            error(from, req, quota.errorCode(), key);
            return;
        }
        boolean df = req.has(DontFragment.class);
        Long newToken = null;
        RelayEndpoint relay;
        if (token != null) {
            // expired but not yet swept gives null too: 508 (step 5)
            relay = reservations.take(token.value(), now, ctx.relays()::close);
            if (relay != null) {
                relay = ctx.relays().adopt(relay); // it may have been reserved on another event loop
            }
        } else if (reserve) {
            // step 8: a reservation that cannot be made is a 508, never a silent allocation without a token
            RelayEndpoint[] pair = reservations.hasRoom() ? ctx.relays().openPair(family, df) : null;
            relay = pair == null ? null : pair[0];
            if (pair != null) {
                // a token already in use would orphan the older reserved endpoint: draw again, a few times
                Instant until = now.plus(ctx.config().reservationLifetime());
                long t = ctx.random().nextLong();
                boolean stored = reservations.put(t, pair[1], until);
                for (int tries = 0; !stored && tries < 8; tries++) {
                    t = ctx.random().nextLong();
                    stored = reservations.put(t, pair[1], until);
                }
                if (!stored) {
                    ctx.relays().close(pair[0]); // a broken random source: refuse rather than loop or leak
                    ctx.relays().close(pair[1]);
                    relay = null;
                } else {
                    newToken = t;
                }
            }
        } else {
            relay = ctx.relays().open(family, even != null, df);
        }
        if (relay == null) {
            ctx.quotas().release(quotaKey);
            error(from, req, ErrorCode.INSUFFICIENT_CAPACITY, key);
            return;
        }
        AddressFamily relayFamily = AddressFamily.of(relay.address().getAddress());
        RelayEndpoint relay6 = relayFamily == AddressFamily.IPV6 ? relay : null;
        RelayEndpoint relay4 = relayFamily == AddressFamily.IPV4 ? relay : null;
        AddressErrorCode addressError = null;
        if (additional != null) {
            relay6 = ctx.relays().supports(AddressFamily.IPV6) ? ctx.relays().open(AddressFamily.IPV6, false, df) : null;
            if (relay6 == null) {
                // RFC 8656 §7.2: the IPv4 allocation still succeeds, with ADDRESS-ERROR-CODE for IPv6
                int code = ctx.relays().supports(AddressFamily.IPV6)
                        ? ErrorCode.INSUFFICIENT_CAPACITY
                        : ErrorCode.ADDRESS_FAMILY_NOT_SUPPORTED;
                addressError = new AddressErrorCode(AddressFamily.IPV6, code, ErrorCode.defaultReason(code));
            }
        }
        Duration lifetime = desiredLifetime(req);
        StunMessage.Builder b = req.response(StunClass.SUCCESS_RESPONSE);
        List<InetSocketAddress> relayed = new ArrayList<>(2);
        for (RelayEndpoint r : new RelayEndpoint[] {relay4, relay6}) {
            if (r != null) {
                b.add(new XorRelayedAddress(r.address()));
                relayed.add(r.address());
            }
        }
        b.add(new Lifetime(lifetime.toSeconds()));
        if (newToken != null) {
            b.add(new ReservationToken(newToken));
        }
        if (addressError != null) {
            b.add(addressError);
        }
        b.add(new XorMappedAddress(from.client()));
        byte[] response = encode(req, b, key);
        TurnAllocation a = new TurnAllocation(from, user, quotaKey, key, relay4, relay6, req.transactionId(), response,
                ctx.config().maxBytesPerSecond(), now.plus(lifetime));
        engine.add(a);
        engine.emit(new TurnOutput.AllocationCreated(from, user, List.copyOf(relayed), lifetime.toSeconds()));
        engine.emit(new TurnOutput.ToClient(from, ByteBuffer.wrap(response)));
    }

    // RFC 8656 §7.2 step 9 and §8: max(default, min(asked, max)); 0 only matters for Refresh
    private Duration desiredLifetime(StunMessage req) {
        TurnServerConfig c = ctx.config();
        Lifetime asked = req.getOrNull(Lifetime.class);
        if (asked == null) {
            return c.defaultLifetime();
        }
        long seconds = Math.min(asked.value(), c.maxLifetime().toSeconds());
        return Duration.ofSeconds(Math.max(seconds, c.defaultLifetime().toSeconds()));
    }

    // RFC 8656 §8
    private void refresh(Instant now, FiveTuple from, StunMessage req, byte[] key, TurnAllocation a) {
        if (a == null) {
            error(from, req, ErrorCode.ALLOCATION_MISMATCH, key);
            return;
        }
        RequestedAddressFamily family = req.getOrNull(RequestedAddressFamily.class);
        if (family != null && family.family().map(f -> !a.hasFamily(f)).orElse(true)) {
            error(from, req, ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH, key);
            return;
        }
        Lifetime asked = req.getOrNull(Lifetime.class);
        if (asked != null && asked.value() == 0) {
            respond(from, req, req.response(StunClass.SUCCESS_RESPONSE).add(new Lifetime(0)), key);
            engine.delete(a, TurnOutput.DeleteReason.CLIENT_REFRESH_ZERO);
            return;
        }
        Duration lifetime = desiredLifetime(req);
        a.expiry = now.plus(lifetime);
        engine.schedule(a, a.expiry);
        respond(from, req, req.response(StunClass.SUCCESS_RESPONSE).add(new Lifetime(lifetime.toSeconds())), key);
    }

    // RFC 8656 §9.2: all peers are checked before any permission is installed
    private void createPermission(Instant now, FiveTuple from, StunMessage req, byte[] key, TurnAllocation a) {
        if (a == null) {
            error(from, req, ErrorCode.ALLOCATION_MISMATCH, key);
            return;
        }
        List<InetSocketAddress> peers = new ArrayList<>(2);
        for (StunAttribute attr : req.attributes()) {
            if (attr instanceof XorPeerAddress p) {
                peers.add(p.address());
            }
        }
        if (peers.isEmpty()) {
            error(from, req, ErrorCode.BAD_REQUEST, key);
            return;
        }
        for (InetSocketAddress peer : peers) {
            int code = checkPeer(a, peer);
            if (code != 0) {
                error(from, req, code, key);
                return;
            }
        }
        if (!a.hasRoomFor(peers.stream().map(InetSocketAddress::getAddress).toList())) {
            error(from, req, ErrorCode.INSUFFICIENT_CAPACITY, key);
            return;
        }
        Instant until = now.plus(ctx.config().permissionLifetime());
        peers.forEach(p -> a.permit(p.getAddress(), until));
        engine.schedule(a, until);
        respond(from, req, req.response(StunClass.SUCCESS_RESPONSE), key);
    }

    // RFC 8656 §11.2
    private void channelBind(Instant now, FiveTuple from, StunMessage req, byte[] key, TurnAllocation a) {
        if (a == null) {
            error(from, req, ErrorCode.ALLOCATION_MISMATCH, key);
            return;
        }
        ChannelNumber channel = req.getOrNull(ChannelNumber.class);
        XorPeerAddress peer = req.getOrNull(XorPeerAddress.class);
        if (channel == null || peer == null || !ChannelData.isValidChannel(channel.value())) {
            error(from, req, ErrorCode.BAD_REQUEST, key);
            return;
        }
        int code = checkPeer(a, peer.address());
        if (code != 0) {
            error(from, req, code, key);
            return;
        }
        if (!a.hasRoomFor(List.of(peer.address().getAddress()))) {
            error(from, req, ErrorCode.INSUFFICIENT_CAPACITY, key); // the binding installs a permission
            return;
        }
        if (!a.channels.bind(channel.value(), peer.address(), now.plus(ctx.config().channelLifetime()))) {
            error(from, req, ErrorCode.BAD_REQUEST, key);
            return;
        }
        Instant until = now.plus(ctx.config().permissionLifetime());
        a.permit(peer.address().getAddress(), until);
        engine.schedule(a, until);
        respond(from, req, req.response(StunClass.SUCCESS_RESPONSE), key);
    }

    /** 443 when the allocation has no relay of the peer's family, 403 when policy forbids the peer, else 0. */
    private int checkPeer(TurnAllocation a, InetSocketAddress peer) {
        if (!a.hasFamily(AddressFamily.of(peer.getAddress()))) {
            return ErrorCode.PEER_ADDRESS_FAMILY_MISMATCH;
        }
        if (!ctx.peerPolicy().isAllowed(peer.getAddress())) {
            ctx.metrics().drop(DropReason.FORBIDDEN_PEER);
            return ErrorCode.FORBIDDEN;
        }
        return 0;
    }

    void expireReservations(Instant now) {
        reservations.expire(now, ctx.relays()::close);
    }

    int reservationCount() {
        return reservations.size();
    }

    Instant nextReservationExpiry() {
        return reservations.nextExpiry();
    }

    void error(FiveTuple to, StunMessage req, int code, byte[] key, StunAttribute... extra) {
        StunMessage.Builder b = req.response(StunClass.ERROR_RESPONSE).add(ErrorCode.of(code));
        for (StunAttribute a : extra) {
            b.add(a);
        }
        respond(to, req, b, key);
    }

    void respond(FiveTuple to, StunMessage req, StunMessage.Builder b, byte[] key) {
        engine.emit(new TurnOutput.ToClient(to, ByteBuffer.wrap(encode(req, b, key))));
    }

    /** SOFTWARE, then MESSAGE-INTEGRITY when authenticated, FINGERPRINT when the request had one. */
    private byte[] encode(StunMessage req, StunMessage.Builder b, byte[] key) {
        String software = ctx.config().software();
        if (software != null) {
            b.add(new Software(software));
        }
        StunProtection p = key == null ? StunProtection.NONE : StunProtection.integrity(key);
        if (req.has(Fingerprint.class)) {
            p = p.withFingerprint();
        }
        return StunCodec.encode(b.build(), p);
    }
}
