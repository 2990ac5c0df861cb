package io.rtc4j.turn;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.Username;
import java.time.Instant;
import java.util.List;

/**
 * Long-term credential checks for TURN requests (RFC 8489 §9.2.4, RFC 8656 §5). Stateless per request:
 * nonces are self-validating, so a flood of unauthenticated requests from spoofed sources costs no memory.
 * An unknown user and a wrong password get the same 401 after the same amount of HMAC work.
 */
final class TurnAuth {
    private static final byte[] DECOY_KEY = new byte[16];

    private final TurnServerContext ctx;
    private final TurnRequestHandler responder;

    TurnAuth(TurnServerContext ctx, TurnRequestHandler responder) {
        this.ctx = ctx;
        this.responder = responder;
    }

    static String username(StunMessage req) {
        Username u = req.getOrNull(Username.class);
        return u == null ? null : u.value();
    }

    /**
     * The key that verified the request's integrity, or null after queueing 400/401/438/441. The allocation's
     * owner is checked with the key the allocation was made with; anyone else with their own credentials.
     */
    byte[] authenticate(Instant now, FiveTuple from, StunMessage req, TurnAllocation existing) {
        if (!req.hasIntegrity()) {
            challenge(now, from, req, ErrorCode.UNAUTHENTICATED); // the normal first round trip
            return null;
        }
        String username = username(req);
        Realm realm = req.getOrNull(Realm.class);
        Nonce nonce = req.getOrNull(Nonce.class);
        if (username == null || realm == null || nonce == null) {
            // USERHASH alone is not accepted: this server never offers the RFC 8489 nonce cookie
            responder.error(from, req, ErrorCode.BAD_REQUEST, null);
            return null;
        }
        NonceStatus status = ctx.nonces().check(nonce.value(), from.client(), now);
        if (status != NonceStatus.VALID) {
            // RFC 8489 §9.2.4: a nonce that is no longer valid gets 438 and a fresh one; a forged or foreign
            // nonce is no more valid than a stale one, and the client's retry is the same
            challenge(now, from, req, ErrorCode.STALE_NONCE);
            return null;
        }
        boolean owner = existing != null && existing.username.equals(username);
        List<byte[]> keys = owner
                ? List.of(existing.key)
                : ctx.authenticator().longTermKeys(username, ctx.config().realm(), now);
        byte[] match = null;
        for (byte[] key : keys) {
            if (req.verifyIntegrity(key) && match == null) {
                match = key;
            }
        }
        if (keys.isEmpty()) {
            req.verifyIntegrity(DECOY_KEY); // same work as for a known user
        }
        if (match == null) {
            ctx.metrics().authFailure();
            challenge(now, from, req, ErrorCode.UNAUTHENTICATED);
            return null;
        }
        if (existing != null && !owner && !req.method().equals(StunMethod.ALLOCATE)) {
            // RFC 8656 §5: a non-Allocate request that passes authentication as another user gets 441; one that
            // does not pass got the 401 above, so nobody learns about the allocation without credentials.
            // (An Allocate goes on to get 437, RFC 8656 §7.2 step 2.)
            ctx.metrics().authFailure();
            responder.error(from, req, ErrorCode.WRONG_CREDENTIALS, match);
            return null;
        }
        return match;
    }

    private void challenge(Instant now, FiveTuple from, StunMessage req, int code) {
        responder.error(from, req, code, null,
                new Realm(ctx.config().realm()),
                new Nonce(ctx.nonces().issue(from.client(), now)));
    }
}
