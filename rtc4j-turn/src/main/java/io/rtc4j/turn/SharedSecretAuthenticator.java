package io.rtc4j.turn;

import io.rtc4j.stun.StunIntegrity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies TURN REST API credentials ({@link TurnCredentials}) the way coturn's {@code use-auth-secret}
 * does: the username carries its expiry, the password is recomputed from a shared secret, and the long-term
 * key (RFC 8489 §9.2.2) is derived from that password. Several secrets may be configured for rotation; any
 * may match, so {@link #longTermKeys} returns one candidate key per secret, in configuration order.
 * Thread-safe: the HMAC prototypes are only ever cloned.
 */
public final class SharedSecretAuthenticator implements TurnAuthenticator {

    private static final String HMAC = "HmacSHA1";
    private static final int MAX_EXPIRY_DIGITS = 18; // always fits a long

    private final List<SecretKeySpec> secrets;
    private final List<Mac> prototypes;

    /** @param secrets at least one non-empty secret */
    public SharedSecretAuthenticator(List<byte[]> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one TURN shared secret is required");
        }
        List<SecretKeySpec> specs = new ArrayList<>();
        List<Mac> macs = new ArrayList<>();
        for (byte[] s : secrets) {
            if (s == null || s.length == 0) {
                throw new IllegalArgumentException("empty TURN shared secret");
            }
            SecretKeySpec spec = new SecretKeySpec(s, HMAC); // copies the bytes
            specs.add(spec);
            macs.add(newMac(spec));
        }
        this.secrets = List.copyOf(specs);
        this.prototypes = List.copyOf(macs);
    }

    /** Secrets given as coturn's static-auth-secret strings (their UTF-8 bytes are the HMAC key). */
    public static SharedSecretAuthenticator ofStrings(List<String> secrets) {
        return new SharedSecretAuthenticator(
                secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** The key for the first configured secret; see {@link #longTermKeys} for rotation. */
    @Override
    public Optional<byte[]> longTermKey(String username, String realm, Instant now) {
        List<byte[]> keys = longTermKeys(username, realm, now);
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(0));
    }

    @Override
    public List<byte[]> longTermKeys(String username, String realm, Instant now) {
        if (username == null || realm == null) {
            return List.of();
        }
        OptionalLong expiry = expiry(username);
        // coturn rejects when expiry < now, so a credential is still good during its expiry second.
        if (expiry.isEmpty() || expiry.getAsLong() < now.getEpochSecond()) {
            return List.of();
        }
        byte[] message = username.getBytes(StandardCharsets.UTF_8);
        List<byte[]> keys = new ArrayList<>(prototypes.size());
        for (int i = 0; i < prototypes.size(); i++) {
            String password = Base64.getEncoder().encodeToString(mac(i).doFinal(message));
            keys.add(StunIntegrity.longTermKey(username, realm, password));
        }
        return keys;
    }

    /**
     * The expiry of a REST username: {@code <expiry>}, {@code <expiry>:<user>} (the draft's form) or, as
     * coturn also accepts, {@code <user>:<expiry>} where the user part contains no ':'. Empty if malformed.
     */
    public static OptionalLong expiry(String username) {
        int sep = username.indexOf(TurnCredentials.SEPARATOR);
        if (sep < 0) {
            return digits(username);
        }
        OptionalLong first = digits(username.substring(0, sep));
        return first.isPresent() ? first : digits(username.substring(sep + 1));
    }

    /**
     * The user a REST username stands for, without its expiry ({@code 1767312000:alice} gives {@code alice}),
     * or the username itself if it has no expiry part. Quotas should count by this, as coturn does, or every
     * freshly minted credential of the same user would get a quota of its own.
     */
    @Override
    public String quotaKey(String username) {
        return userPart(username);
    }

    public static String userPart(String username) {
        int sep = username.indexOf(TurnCredentials.SEPARATOR);
        if (sep < 0) {
            return username;
        }
        if (digits(username.substring(0, sep)).isPresent()) {
            return username.substring(sep + 1);
        }
        return digits(username.substring(sep + 1)).isPresent() ? username.substring(0, sep) : username;
    }

    private static OptionalLong digits(String s) {
        if (s.isEmpty() || s.length() > MAX_EXPIRY_DIGITS) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.of(Long.parseLong(s));
    }

    /** A private Mac for this call: a clone of the keyed prototype, or a new one if the provider can't clone. */
    private Mac mac(int i) {
        try {
            return (Mac) prototypes.get(i).clone();
        } catch (CloneNotSupportedException e) {
            return newMac(secrets.get(i));
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SharedSecretAuthenticator[" + secrets.size() + " secrets]";
    }
}
