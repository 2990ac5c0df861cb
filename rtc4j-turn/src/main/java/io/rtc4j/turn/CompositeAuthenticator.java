package io.rtc4j.turn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tries several authenticators in order, typically static users first, then the shared secret (coturn
 * can run {@code user=} lines next to {@code use-auth-secret}). Thread-safe if its parts are.
 */
public final class CompositeAuthenticator implements TurnAuthenticator {

    private final List<TurnAuthenticator> parts;

    public CompositeAuthenticator(List<? extends TurnAuthenticator> parts) {
        this.parts = List.copyOf(parts);
    }

    public static CompositeAuthenticator of(TurnAuthenticator... parts) {
        return new CompositeAuthenticator(List.of(parts));
    }

    /** The first part's key that exists. */
    @Override
    public Optional<byte[]> longTermKey(String username, String realm, Instant now) {
        for (TurnAuthenticator a : parts) {
            Optional<byte[]> key = a.longTermKey(username, realm, now);
            if (key.isPresent()) {
                return key;
            }
        }
        return Optional.empty();
    }

    /** Every part's candidates, in part order: a static user's key is tried before shared-secret keys. */
    @Override
    public List<byte[]> longTermKeys(String username, String realm, Instant now) {
        List<byte[]> keys = new ArrayList<>();
        for (TurnAuthenticator a : parts) {
            keys.addAll(a.longTermKeys(username, realm, now));
        }
        return keys;
    }

    @Override
    public String quotaKey(String username) {
        for (TurnAuthenticator part : parts) {
            String key = part.quotaKey(username);
            if (!key.equals(username)) {
                return key;
            }
        }
        return username;
    }

    @Override
    public String toString() {
        return "CompositeAuthenticator" + parts;
    }
}
