package io.rtc4j.turn;

/** Outcome of {@link NonceService#check}. */
public enum NonceStatus {
    /** Ours, for this client, not expired: go on to check MESSAGE-INTEGRITY. */
    VALID,
    /** Ours and for this client but expired: answer 438 (Stale Nonce) with a fresh NONCE (RFC 8489 §9.2.4). */
    STALE,
    /** Not ours, tampered with, malformed or issued to another client address: answer 401 with a fresh NONCE. */
    INVALID
}
