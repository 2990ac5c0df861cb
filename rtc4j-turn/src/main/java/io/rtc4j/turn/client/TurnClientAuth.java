package io.rtc4j.turn.client;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.StunIntegrity;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.Username;

/**
 * The client half of the long-term credential mechanism (RFC 8489 §9.2): learns REALM and NONCE from a 401
 * or 438, derives the key MD5(username:realm:password) (§9.2.2), signs requests and checks responses.
 * Only the MD5 password algorithm: this client never offers the §9.2.1 nonce-cookie features
 * (PASSWORD-ALGORITHMS, USERHASH).
 */
final class TurnClientAuth {
    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private byte[] key;

    TurnClientAuth(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** True once a realm and nonce are known: requests are signed from then on. */
    boolean ready() {
        return key != null && nonce != null;
    }

    byte[] key() {
        return key;
    }

    /**
     * Takes REALM and NONCE from a 401 or 438 (RFC 8489 §9.2.5); a 438 may leave the realm out. Returns false
     * when the challenge lacks what a retry needs.
     */
    boolean learn(StunMessage challenge) {
        Nonce n = challenge.getOrNull(Nonce.class);
        Realm r = challenge.getOrNull(Realm.class);
        if (n == null || (r == null && realm == null)) {
            return false;
        }
        if (r != null && !r.value().equals(realm)) {
            realm = r.value();
            key = StunIntegrity.longTermKey(username, realm, password);
        }
        nonce = n.value();
        return true;
    }

    /** Adds USERNAME, REALM and NONCE (RFC 8489 §9.2.4); the encoder appends MESSAGE-INTEGRITY. */
    void sign(StunMessage.Builder b) {
        b.add(new Username(username)).add(new Realm(realm)).add(new Nonce(nonce));
    }

    StunProtection protection() {
        return StunProtection.integrity(key);
    }

    /**
     * RFC 8489 §9.2.5: a response to a signed request counts only with valid message integrity, except the
     * 401 and 438 challenges, which a server sends unsigned.
     */
    boolean acceptable(StunMessage response) {
        if (isChallenge(response)) {
            return true;
        }
        return key != null && response.hasIntegrity() && response.verifyIntegrity(key);
    }

    static boolean isChallenge(StunMessage response) {
        ErrorCode e = response.getOrNull(ErrorCode.class);
        return e != null && (e.code() == ErrorCode.UNAUTHENTICATED || e.code() == ErrorCode.STALE_NONCE);
    }
}
