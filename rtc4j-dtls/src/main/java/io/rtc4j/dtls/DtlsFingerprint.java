package io.rtc4j.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * A certificate fingerprint as carried by SDP {@code a=fingerprint} (RFC 8122 §5): a hash function name and the
 * digest of the DER-encoded certificate, written as upper-case hex pairs joined by colons.
 *
 * <p>Hash functions: sha-1, sha-224, sha-256, sha-384, sha-512 (RFC 8122 §5 and RFC 8827 §6.5 require at least
 * sha-256 to be supported; md5/md2 are refused).
 */
public record DtlsFingerprint(String hashFunction, byte[] value) {
    private static final Map<String, String> DIGESTS = Map.of(
            "sha-1", "SHA-1",
            "sha-224", "SHA-224",
            "sha-256", "SHA-256",
            "sha-384", "SHA-384",
            "sha-512", "SHA-512");
    private static final Map<String, Integer> LENGTHS =
            Map.of("sha-1", 20, "sha-224", 28, "sha-256", 32, "sha-384", 48, "sha-512", 64);

    public DtlsFingerprint {
        hashFunction = hashFunction.toLowerCase(Locale.ROOT);
        Integer length = LENGTHS.get(hashFunction);
        if (length == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + hashFunction);
        }
        if (value.length != length) {
            throw new IllegalArgumentException(hashFunction + " fingerprint must be " + length + " bytes");
        }
        value = value.clone();
    }

    /** The fingerprint of a DER certificate with the named hash function ({@code sha-256} etc.). */
    public static DtlsFingerprint of(String hashFunction, byte[] certificateDer) {
        String name = hashFunction.toLowerCase(Locale.ROOT);
        String algorithm = DIGESTS.get(name);
        if (algorithm == null) {
            throw new IllegalArgumentException("unsupported fingerprint hash function: " + hashFunction);
        }
        try {
            return new DtlsFingerprint(name, MessageDigest.getInstance(algorithm).digest(certificateDer));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + algorithm, e);
        }
    }

    /** True if the hash function is one this class can compute. */
    public static boolean supports(String hashFunction) {
        return DIGESTS.containsKey(hashFunction.toLowerCase(Locale.ROOT));
    }

    /**
     * Parses the value of an {@code a=fingerprint} line, e.g. {@code sha-256 AB:CD:...}. Hex is accepted in
     * either case (RFC 8122 §5 says upper case; some peers send lower). Throws IllegalArgumentException.
     */
    public static DtlsFingerprint parse(String attributeValue) {
        String s = attributeValue.trim();
        int space = s.indexOf(' ');
        if (space <= 0) {
            throw new IllegalArgumentException("a=fingerprint needs '<hash-func> <hex>': " + attributeValue);
        }
        String hash = s.substring(0, space);
        String hex = s.substring(space + 1).trim();
        String[] pairs = hex.split(":", -1);
        byte[] value = new byte[pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            if (pairs[i].length() != 2) {
                throw new IllegalArgumentException("bad fingerprint byte '" + pairs[i] + "' in " + attributeValue);
            }
            try {
                value[i] = (byte) HexFormat.fromHexDigits(pairs[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad fingerprint byte '" + pairs[i] + "' in " + attributeValue);
            }
        }
        return new DtlsFingerprint(hash, value);
    }

    /** True if this is the fingerprint of {@code certificateDer}. */
    public boolean matches(byte[] certificateDer) {
        byte[] actual = of(hashFunction, certificateDer).value;
        return MessageDigest.isEqual(actual, value);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    /** The {@code a=fingerprint} value: {@code sha-256 AB:CD:...}. */
    public String toAttributeValue() {
        StringBuilder b = new StringBuilder(hashFunction.length() + 1 + value.length * 3);
        b.append(hashFunction).append(' ');
        HexFormat hex = HexFormat.of().withUpperCase();
        for (int i = 0; i < value.length; i++) {
            if (i > 0) {
                b.append(':');
            }
            b.append(hex.toHexDigits(value[i]));
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && f.hashFunction.equals(hashFunction) && Arrays.equals(f.value, value);
    }

    @Override
    public int hashCode() {
        return hashFunction.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return toAttributeValue();
    }
}
