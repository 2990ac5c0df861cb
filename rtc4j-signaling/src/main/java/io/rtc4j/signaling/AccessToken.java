package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HS256 JSON Web Tokens (RFC 7519, JWS RFC 7515 compact form, HMAC-SHA256 per RFC 7518 §3.2) granting a
 * peer id in a room: claims {@code room}, {@code peer} (optional: any peer id), {@code exp}, {@code nbf},
 * {@code iat}. Only {@code alg} HS256 is accepted (never {@code none}). Not thread-safe: one instance per
 * thread (it keeps its {@link Mac}).
 */
public final class AccessToken {
    /** Secrets shorter than this are refused: RFC 7518 §3.2 wants a key of at least the hash size. */
    public static final int MIN_SECRET_BYTES = 16;
    private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final int MAX_TOKEN_CHARS = 4096;

    private final Mac mac;
    private final ObjectMapper json = JsonMapper.builder().build();

    public AccessToken(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("token secret must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /** The claims of a valid token. {@code peer} null = any peer id. */
    public record Claims(RoomId room, PeerId peer, Instant notBefore, Instant expires) {
        public Claims {
            Objects.requireNonNull(room, "room");
            Objects.requireNonNull(expires, "expires");
        }
    }

    /** The outcome of {@link #verify}: the claims, or the error code to send. */
    public sealed interface Verified {
        record Valid(Claims claims) implements Verified {}

        record Rejected(SignalingErrorCode code, String detail) implements Verified {}
    }

    /** Mints a token for {@code room} (and {@code peer} if not null) valid from {@code now} for {@code ttl}. */
    public String mint(RoomId room, PeerId peer, Duration ttl, Instant now) {
        if (ttl.toSeconds() < 1) {
            throw new IllegalArgumentException("ttl must be at least one second");
        }
        ObjectNode claims = json.createObjectNode();
        claims.put("room", room.value());
        if (peer != null) {
            claims.put("peer", peer.value());
        }
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("exp", Math.addExact(now.getEpochSecond(), ttl.toSeconds()));
        String signingInput = HEADER + "." + b64(claims.toString().getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + b64(sign(signingInput));
    }

    /** Checks signature, alg, exp and nbf (RFC 7519 §4.1.4-4.1.5, whole seconds, no leeway). Never throws. */
    public Verified verify(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_CHARS) {
            return invalid("malformed token");
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 < 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
            return invalid("malformed token");
        }
        byte[] signature;
        JsonNode header;
        JsonNode claims;
        try {
            signature = Base64.getUrlDecoder().decode(token.substring(dot2 + 1));
            header = json.readTree(Base64.getUrlDecoder().decode(token.substring(0, dot1)));
            claims = json.readTree(Base64.getUrlDecoder().decode(token.substring(dot1 + 1, dot2)));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return invalid("malformed token");
        }
        if (header == null || !header.isObject() || !"HS256".equals(header.path("alg").textValue())) {
            return invalid("alg must be HS256");
        }
        // RFC 7515 §5.2: the MAC is over the ASCII of the first two parts as received
        byte[] expected = sign(token.substring(0, dot2));
        if (!MessageDigest.isEqual(expected, signature)) { // constant time
            return invalid("bad signature");
        }
        if (claims == null || !claims.isObject() || !claims.path("exp").canConvertToLong()
                || !claims.path("room").isTextual()) {
            return invalid("exp and room claims are required");
        }
        long nowSeconds = now.getEpochSecond();
        if (nowSeconds >= claims.get("exp").asLong()) {
            return new Verified.Rejected(SignalingErrorCode.TOKEN_EXPIRED, "token expired");
        }
        JsonNode nbf = claims.get("nbf");
        if (nbf != null && (!nbf.canConvertToLong() || nowSeconds < nbf.asLong())) {
            return new Verified.Rejected(SignalingErrorCode.TOKEN_NOT_YET_VALID, "token not yet valid");
        }
        JsonNode peer = claims.get("peer");
        try {
            return new Verified.Valid(new Claims(
                    new RoomId(claims.get("room").textValue()),
                    peer == null || peer.isNull() ? null : new PeerId(peer.textValue()),
                    nbf == null ? null : Instant.ofEpochSecond(nbf.asLong()),
                    Instant.ofEpochSecond(claims.get("exp").asLong())));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return invalid("invalid room or peer claim");
        }
    }

    private static Verified invalid(String detail) {
        return new Verified.Rejected(SignalingErrorCode.TOKEN_INVALID, detail);
    }

    private byte[] sign(String signingInput) {
        return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
