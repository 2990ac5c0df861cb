package io.rtc4j.turn;

import io.rtc4j.stun.StunIntegrity;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fixed users, as coturn's {@code user=name:password} lines. A value of the form {@code 0x} followed by 32
 * hex digits is coturn's precomputed key (the output of {@code turnadmin -k}): it is used as the key as it
 * is, so it only works for the realm it was computed for. Immutable and thread-safe.
 */
public final class StaticUserAuthenticator implements TurnAuthenticator {

    private final Map<String, String> passwords;
    private final Map<String, byte[]> keys;

    /** @param users name to password or to coturn key form; names must be non-empty */
    public StaticUserAuthenticator(Map<String, String> users) {
        Map<String, String> p = new LinkedHashMap<>();
        Map<String, byte[]> k = new LinkedHashMap<>();
        users.forEach((name, secret) -> {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("empty TURN user name");
            }
            Objects.requireNonNull(secret, () -> "null password for TURN user " + name);
            byte[] key = coturnKey(secret);
            if (key != null) {
                k.put(name, key);
            } else {
                p.put(name, secret);
            }
        });
        this.passwords = Map.copyOf(p);
        this.keys = Map.copyOf(k);
    }

    /**
     * Parses coturn-style {@code name:password} entries, splitting at the first ':' (passwords may contain
     * ':', names may not). Error messages name the user or entry index, never the password.
     */
    public static StaticUserAuthenticator parse(List<String> nameColonPassword) {
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < nameColonPassword.size(); i++) {
            String entry = Objects.requireNonNull(nameColonPassword.get(i), "null user entry");
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(
                        "TURN user entry #" + (i + 1) + " is not name:password" + (colon == 0 ? " (empty name)" : ""));
            }
            String name = entry.substring(0, colon);
            if (users.put(name, entry.substring(colon + 1)) != null) {
                throw new IllegalArgumentException("TURN user '" + name + "' is defined twice");
            }
        }
        return new StaticUserAuthenticator(users);
    }

    @Override
    public Optional<byte[]> longTermKey(String username, String realm, Instant now) {
        if (username == null) {
            return Optional.empty();
        }
        byte[] key = keys.get(username);
        if (key != null) {
            return Optional.of(key.clone());
        }
        String password = passwords.get(username);
        return password == null || realm == null
                ? Optional.empty()
                : Optional.of(StunIntegrity.longTermKey(username, realm, password));
    }

    /** The 16-byte key if {@code secret} is exactly "0x" + 32 hex digits, else null (an ordinary password). */
    private static byte[] coturnKey(String secret) {
        if (secret.length() != 34 || !(secret.startsWith("0x") || secret.startsWith("0X"))) {
            return null;
        }
        for (int i = 2; i < 34; i++) {
            if (!HexFormat.isHexDigit(secret.charAt(i))) {
                return null;
            }
        }
        return HexFormat.of().parseHex(secret, 2, 34);
    }

    @Override
    public String toString() {
        return "StaticUserAuthenticator[" + (passwords.size() + keys.size()) + " users]";
    }
}
