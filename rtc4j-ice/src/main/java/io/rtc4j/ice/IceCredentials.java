package io.rtc4j.ice;

import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/** ice-ufrag and ice-pwd (RFC 8839 §5.4): at least 4 and 22 ice-chars, at most 256. */
public record IceCredentials(String ufrag, String pwd) {
    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]+");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(pwd, "pwd");
        if (ufrag.length() < 4 || ufrag.length() > 256 || !ICE_CHARS.matcher(ufrag).matches()) {
            throw new IllegalArgumentException("ice-ufrag is 4 to 256 ice-chars");
        }
        if (pwd.length() < 22 || pwd.length() > 256 || !ICE_CHARS.matcher(pwd).matches()) {
            throw new IllegalArgumentException("ice-pwd is 22 to 256 ice-chars");
        }
    }

    /** Fresh credentials: 8-char ufrag (48 bits) and 24-char pwd (144 bits) from {@code random}. */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(chars(random, 8), chars(random, 24));
    }

    private static String chars(RandomGenerator random, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + "]"; // never log the password
    }
}
