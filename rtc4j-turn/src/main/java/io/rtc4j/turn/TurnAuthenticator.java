package io.rtc4j.turn;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Looks up the long-term credential key (RFC 8489 §9.2) for a USERNAME and REALM. The engine checks
 * MESSAGE-INTEGRITY with the key and answers 401 when there is none or none matches (RFC 8489 §9.2.4).
 * Implementations are thread-safe, never throw for any username (it comes from the network), and return a
 * fresh array on every call so the caller may keep or wipe it.
 */
public interface TurnAuthenticator {

    /** The key for {@code username} in {@code realm}, or empty if the user is unknown or expired at {@code now}. */
    Optional<byte[]> longTermKey(String username, String realm, Instant now);

    /**
     * Every candidate key, to be tried in turn: a server with several shared secrets (rotation) cannot
     * tell which one minted a credential until MESSAGE-INTEGRITY matches. Empty means unknown or expired.
     */
    default List<byte[]> longTermKeys(String username, String realm, Instant now) {
        return longTermKey(username, realm, now).map(List::of).orElse(List.of());
    }

    /**
     * The identity quotas count against: the username itself, except for time-limited credentials whose
     * username embeds an expiry, where every freshly minted credential of one user must share one quota.
     */
    default String quotaKey(String username) {
        return username;
    }
}
