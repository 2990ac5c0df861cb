package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TurnCredentialsTest {

    private static final byte[] SECRET = "north-wind".getBytes(StandardCharsets.UTF_8);

    @Test
    void mintMatchesCoturnsRestApiFormula() throws Exception {
        // SimClock.EPOCH is 1767225600; one day later is 1767312000.
        TurnCredentials c = TurnCredentials.mint(SECRET, "alice", Duration.ofDays(1), SimClock.EPOCH);
        assertThat(c.username()).isEqualTo("1767312000:alice");
        assertThat(c.ttlSeconds()).isEqualTo(86_400);
        // Computed independently here with javax.crypto ...
        assertThat(c.password()).isEqualTo(TurnAuthenticatorTest.base64HmacSha1(SECRET, "1767312000:alice"));
        // ... and with: echo -n "1767312000:alice" | openssl dgst -sha1 -hmac north-wind -binary | base64
        assertThat(c.password()).isEqualTo("47ipCOYu8HyZorq7O8rgoPbISyE=");
    }

    @Test
    void bareTimestampUsernameWithoutUser() {
        TurnCredentials c = TurnCredentials.mint(SECRET, "", Duration.ofSeconds(60), SimClock.EPOCH);
        assertThat(c.username()).isEqualTo("1767225660");
        assertThat(c.password()).isEqualTo("bfmLpZIBQQ/p+8wPtvcC/J6NbD0=");
        assertThat(TurnCredentials.mint(SECRET, null, Duration.ofSeconds(60), SimClock.EPOCH)).isEqualTo(c);
    }

    @Test
    void mintedCredentialsAuthenticateUntilTheyExpire() {
        TurnCredentials c = TurnCredentials.mint(SECRET, "alice", Duration.ofMinutes(5), SimClock.EPOCH);
        SharedSecretAuthenticator auth = new SharedSecretAuthenticator(List.of(SECRET));
        byte[] clientKey = io.rtc4j.stun.StunIntegrity.longTermKey(c.username(), "example.org", c.password());
        assertThat(auth.longTermKey(c.username(), "example.org", SimClock.EPOCH.plusSeconds(300)))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(clientKey));
        assertThat(auth.longTermKey(c.username(), "example.org", SimClock.EPOCH.plusSeconds(301))).isEmpty();
    }

    @Test
    void checksArgumentsAndHidesThePassword() {
        assertThatThrownBy(() -> TurnCredentials.mint(SECRET, "a", Duration.ZERO, SimClock.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TurnCredentials.mint(SECRET, "a", Duration.ofMillis(999), SimClock.EPOCH))
                .isInstanceOf(IllegalArgumentException.class);
        TurnCredentials c = TurnCredentials.mint(SECRET, "alice", Duration.ofDays(1), SimClock.EPOCH);
        assertThat(c.toString()).contains("1767312000:alice").doesNotContain(c.password());
    }
}
