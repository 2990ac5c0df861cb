package io.rtc4j.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials of the TURN REST API (draft-uberti-behave-turn-rest-00 §2.2), as coturn's
 * {@code use-auth-secret} / {@code static-auth-secret} accepts them: username = {@code <expiry>:<user>}
 * (expiry in Unix seconds), password = base64(HMAC-SHA1(secret, username)). The web application mints them,
 * the TURN server ({@link SharedSecretAuthenticator}) recomputes the password; nothing is stored.
 *
 * @param ttlSeconds lifetime the credentials were minted with, for the REST response's "ttl"
 */
public record TurnCredentials(String username, String password, long ttlSeconds) {

    /** coturn's default {@code rest-api-separator}. */
    public static final char SEPARATOR = ':';

    public TurnCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (ttlSeconds < 0) {
            throw new IllegalArgumentException("negative ttl " + ttlSeconds);
        }
    }

    /**
     * Mints credentials valid until {@code now + ttl} (whole seconds, as coturn compares). An empty or null
     * {@code user} gives the bare-timestamp username form.
     *
     * @param secret coturn's static-auth-secret as bytes (UTF-8 of the configured string)
     */
    public static TurnCredentials mint(byte[] secret, String user, Duration ttl, Instant now) {
        Objects.requireNonNull(ttl, "ttl");
        long seconds = ttl.toSeconds();
        if (seconds < 1) {
            throw new IllegalArgumentException("TURN credential ttl must be at least one second: " + ttl);
        }
        long expiry = Math.addExact(now.getEpochSecond(), seconds);
        String username = user == null || user.isEmpty() ? Long.toString(expiry) : Long.toString(expiry) + SEPARATOR + user;
        return new TurnCredentials(username, password(secret, username), seconds);
    }

    /** base64(HMAC-SHA1(secret, UTF-8 username)) with padding, exactly as coturn computes it. */
    public static String password(byte[] secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
        }
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "TurnCredentials[username=" + username + ", password=<redacted>, ttlSeconds=" + ttlSeconds + "]";
    }
}
