package io.rtc4j.stun;

import java.util.Objects;

/** PASSWORD-ALGORITHM (RFC 8489 §14.12): 1 = MD5, 2 = SHA-256, with optional parameters. */
public record PasswordAlgorithm(int algorithm, Bytes parameters) implements StunAttribute {
    public static final int MD5 = 0x0001;
    public static final int SHA256 = 0x0002;

    public PasswordAlgorithm {
        Objects.requireNonNull(parameters, "parameters");
        if (algorithm < 0 || algorithm > 0xFFFF || parameters.length() > 0xFFFF) {
            throw new IllegalArgumentException("bad password algorithm " + algorithm);
        }
    }

    public PasswordAlgorithm(int algorithm) {
        this(algorithm, Bytes.EMPTY);
    }

    @Override
    public int type() {
        return AttributeType.PASSWORD_ALGORITHM;
    }
}
