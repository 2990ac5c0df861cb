package io.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AccessTokenTest {
    private static final byte[] SECRET = "a-secret-of-at-least-16-bytes".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void rfc7515AppendixA1SignatureVerifies() {
        // RFC 7515 A.1: HS256 example; its claims have no room, so a good signature ends at the claims check
        byte[] key = Base64.getUrlDecoder().decode(
                "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        String jws = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
                + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        AccessToken t = new AccessToken(key);
        assertThat(t.verify(jws, Instant.ofEpochSecond(1300819379)))
                .isEqualTo(new AccessToken.Verified.Rejected(SignalingErrorCode.TOKEN_INVALID, "exp and room claims are required"));
        String tampered = jws.replace("dBjftJeZ4CVP", "dBjftJeZ4CWP");
        assertThat(t.verify(tampered, Instant.ofEpochSecond(1300819379)))
                .isEqualTo(new AccessToken.Verified.Rejected(SignalingErrorCode.TOKEN_INVALID, "bad signature"));
    }

    @Test
    void mintedTokenVerifiesWithinItsLifetimeOnly() {
        AccessToken t = new AccessToken(SECRET);
        String token = t.mint(new RoomId("room"), new PeerId("p1"), Duration.ofSeconds(10), NOW);
        assertThat(t.verify(token, NOW.plusSeconds(9))).isEqualTo(new AccessToken.Verified.Valid(
                new AccessToken.Claims(new RoomId("room"), new PeerId("p1"), NOW, NOW.plusSeconds(10))));
        assertThat(t.verify(token, NOW.plusSeconds(10))).isInstanceOf(AccessToken.Verified.Rejected.class)
                .extracting(r -> ((AccessToken.Verified.Rejected) r).code()).isEqualTo(SignalingErrorCode.TOKEN_EXPIRED);
        assertThat(t.verify(token, NOW.minusSeconds(1))).extracting(r -> ((AccessToken.Verified.Rejected) r).code())
                .isEqualTo(SignalingErrorCode.TOKEN_NOT_YET_VALID);
        assertThat(new AccessToken("another-secret-of-16-bytes".getBytes(StandardCharsets.UTF_8)).verify(token, NOW))
                .extracting(r -> ((AccessToken.Verified.Rejected) r).code()).isEqualTo(SignalingErrorCode.TOKEN_INVALID);
    }

    @Test
    void algNoneAndGarbageAreRejected() {
        AccessToken t = new AccessToken(SECRET);
        String claims = t.mint(new RoomId("room"), null, Duration.ofSeconds(10), NOW).split("\\.")[1];
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        for (String bad : new String[] {none + "." + claims + ".", none + "." + claims, "", "a.b.c", "a.b.c.d", "...", "x".repeat(5000)}) {
            assertThat(t.verify(bad, NOW)).as(bad).isInstanceOf(AccessToken.Verified.Rejected.class);
        }
        assertThatThrownBy(() -> new AccessToken(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }
}
