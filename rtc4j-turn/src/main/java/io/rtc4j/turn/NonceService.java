package io.rtc4j.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless nonces for the long-term credential mechanism (RFC 8489 §9.2): a nonce carries its own expiry
 * and an HMAC-SHA256 binding it to the client's transport address, so the server keeps no per-client memory
 * and a flood of unauthenticated requests from spoofed sources cannot grow it. RFC 8489 §9.2 leaves the
 * nonce's content and lifetime to the server; binding it to the client address and port makes a nonce seen
 * in transit useless from anywhere else.
 *
 * <p>Wire form: base64url without padding (32 characters, legal qdtext) of 8 bytes expiry in epoch millis
 * and the first 16 bytes of HMAC-SHA256(key, label | expiry | address | port). The expiry's high bytes are
 * zero for millennia, so a nonce always starts with "AAA" and never with the RFC 8489 §9.2 nonce cookie
 * "obMatJos2": clients see no security-feature bits, so this nonce advertises neither PASSWORD-ALGORITHMS
 * nor USERHASH.
 *
 * <p>Thread-safe: the keyed Mac is a prototype cloned per call (per request, never per relayed packet).
 */
public final class NonceService {

    public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(10);

    private static final String HMAC = "HmacSHA256";
    private static final int EXPIRY_LEN = 8;
    private static final int TAG_LEN = 16;
    private static final int ENCODED_LEN = 32; // 4 * (8 + 16) / 3, no padding needed
    private static final int MIN_KEY_LEN = 16;
    /** Domain separation, in case the driver derives this key from a secret used elsewhere. */
    private static final byte[] LABEL = "rtc4j TURN nonce v1".getBytes(StandardCharsets.US_ASCII);

    private final SecretKeySpec key;
    private final Mac prototype;
    private final long lifetimeMillis;

    /** A service with the {@link #DEFAULT_LIFETIME}. */
    public NonceService(byte[] secretKey) {
        this(secretKey, DEFAULT_LIFETIME);
    }

    /**
     * @param secretKey at least 16 random bytes from the driver; servers sharing it accept each other's nonces
     * @param lifetime how long a nonce stays VALID before it is STALE; positive
     */
    public NonceService(byte[] secretKey, Duration lifetime) {
        Objects.requireNonNull(secretKey, "secretKey");
        if (secretKey.length < MIN_KEY_LEN) {
            throw new IllegalArgumentException("nonce key needs at least " + MIN_KEY_LEN + " bytes, got " + secretKey.length);
        }
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("nonce lifetime must be positive: " + lifetime);
        }
        this.key = new SecretKeySpec(secretKey, HMAC); // copies the bytes
        this.prototype = newMac(key);
        this.lifetimeMillis = lifetime.toMillis();
    }

    public Duration lifetime() {
        return Duration.ofMillis(lifetimeMillis);
    }

    /** A fresh nonce for {@code client}, valid until {@code now + lifetime}. */
    public String issue(InetSocketAddress client, Instant now) {
        InetAddress address = client.getAddress();
        if (address == null) {
            throw new IllegalArgumentException("unresolved client address " + client);
        }
        long expiry = now.toEpochMilli() + lifetimeMillis;
        byte[] raw = new byte[EXPIRY_LEN + TAG_LEN];
        putLong(raw, expiry);
        System.arraycopy(tag(expiry, address, client.getPort()), 0, raw, EXPIRY_LEN, TAG_LEN);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Classifies a NONCE received from {@code client}. Never throws, whatever the input. */
    public NonceStatus check(String nonce, InetSocketAddress client, Instant now) {
        if (nonce == null || nonce.length() != ENCODED_LEN || client == null || client.getAddress() == null) {
            return NonceStatus.INVALID;
        }
        for (int i = 0; i < ENCODED_LEN; i++) {
            if (!isBase64Url(nonce.charAt(i))) {
                return NonceStatus.INVALID; // checked first so the decoder never throws
            }
        }
        byte[] raw = Base64.getUrlDecoder().decode(nonce);
        long expiry = getLong(raw);
        byte[] expected = tag(expiry, client.getAddress(), client.getPort());
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(raw, EXPIRY_LEN, EXPIRY_LEN + TAG_LEN))) {
            return NonceStatus.INVALID;
        }
        return now.toEpochMilli() > expiry ? NonceStatus.STALE : NonceStatus.VALID;
    }

    private byte[] tag(long expiry, InetAddress address, int port) {
        Mac mac = mac();
        mac.update(LABEL);
        byte[] e = new byte[EXPIRY_LEN];
        putLong(e, expiry);
        mac.update(e);
        byte[] a = address.getAddress(); // 4 or 16 bytes: the length separates the families
        mac.update((byte) a.length);
        mac.update(a);
        mac.update((byte) (port >>> 8));
        mac.update((byte) port);
        return Arrays.copyOf(mac.doFinal(), TAG_LEN);
    }

    private Mac mac() {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return newMac(key);
        }
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    }

    private static void putLong(byte[] b, long v) {
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
    }

    private static long getLong(byte[] b) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }
}
