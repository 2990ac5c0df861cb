package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class TurnAuthenticatorTest {

    private static final Instant NOW = SimClock.EPOCH; // 1767225600
    private static final String REALM = "example.org";
    /** RFC 5769 §2.4: the username "マトリックス" and SASLprep'd password. */
    private static final String MATRIX = "\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9";

    @Test
    void longTermKeyIsMd5OfUsernameRealmPassword() throws Exception {
        byte[] expected = MessageDigest.getInstance("MD5")
                .digest((MATRIX + ":example.org:TheMatrIX").getBytes(StandardCharsets.UTF_8));
        assertThat(io.rtc4j.stun.StunIntegrity.longTermKey(MATRIX, REALM, "TheMatrIX")).isEqualTo(expected);
        assertThat(HexFormat.of().formatHex(expected)).isEqualTo("e8ca7ad59d5eb0518e312911d2dab2a9");
    }

    @Test
    void longTermKeyReproducesTheRfc5769Section24MessageIntegrity() throws Exception {
        // RFC 5769 §2.4 sample request up to (not including) MESSAGE-INTEGRITY; its length field already
        // counts the MESSAGE-INTEGRITY attribute, as RFC 8489 §14.5 requires for the HMAC input.
        byte[] prefix = HexFormat.of().parseHex("000100602112a44278ad3433c6ad72c029da412e"
                + "00060012e3839ee38388e383aae38383e382afe382b90000"
                + "0015001c662f2f3439396b39353464364f4c33346f4c39465354767936347341"
                + "0014000b6578616d706c652e6f726700");
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(io.rtc4j.stun.StunIntegrity.longTermKey(MATRIX, REALM, "TheMatrIX"), "HmacSHA1"));
        assertThat(HexFormat.of().formatHex(mac.doFinal(prefix))).isEqualTo("f67024656dd64a3e02b8e0712e85c9a28ca89666");
    }

    @Test
    void staticUsers() {
        StaticUserAuthenticator auth = StaticUserAuthenticator.parse(List.of("alice:secret", "bob:pa:ss:word"));
        assertThat(auth.longTermKey("alice", REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(io.rtc4j.stun.StunIntegrity.longTermKey("alice", REALM, "secret")));
        assertThat(auth.longTermKey("bob", REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(io.rtc4j.stun.StunIntegrity.longTermKey("bob", REALM, "pa:ss:word")));
        assertThat(auth.longTermKey("carol", REALM, NOW)).isEmpty();
        assertThat(auth.longTermKey("Alice", REALM, NOW)).as("case-sensitive").isEmpty();
        assertThat(auth.longTermKey(null, REALM, NOW)).isEmpty();
        assertThat(auth.longTermKeys("alice", REALM, NOW)).hasSize(1);
        assertThat(auth.longTermKeys("carol", REALM, NOW)).isEmpty();
        assertThat(auth.toString()).doesNotContain("secret");
    }

    @Test
    void staticUserWithCoturnKeyForm() {
        byte[] key = io.rtc4j.stun.StunIntegrity.longTermKey("dave", REALM, "hunter2");
        String hex = HexFormat.of().formatHex(key);
        StaticUserAuthenticator auth = StaticUserAuthenticator.parse(List.of("dave:0x" + hex, "erin:0x1234"));
        assertThat(auth.longTermKey("dave", REALM, NOW)).hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
        assertThat(auth.longTermKey("dave", "other.realm", NOW))
                .as("a precomputed key is the key, whatever the realm")
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
        assertThat(auth.longTermKey("erin", REALM, NOW))
                .as("too short for a key: an ordinary password")
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(io.rtc4j.stun.StunIntegrity.longTermKey("erin", REALM, "0x1234")));
        // Callers get their own copy.
        auth.longTermKey("dave", REALM, NOW).orElseThrow()[0] ^= 1;
        assertThat(auth.longTermKey("dave", REALM, NOW)).hasValueSatisfying(k -> assertThat(k).isEqualTo(key));
    }

    @Test
    void staticUserParseErrorsNeverShowPasswords() {
        assertThatThrownBy(() -> StaticUserAuthenticator.parse(List.of("nopassword")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#1");
        assertThatThrownBy(() -> StaticUserAuthenticator.parse(List.of("a:x", ":topsecret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#2")
                .hasMessageNotContaining("topsecret");
        assertThatThrownBy(() -> StaticUserAuthenticator.parse(List.of("a:one", "a:two")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice")
                .hasMessageNotContaining("two");
        assertThatThrownBy(() -> new StaticUserAuthenticator(Map.of("", "x"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharedSecretKeyFromRestPassword() throws Exception {
        byte[] secret = "north-wind".getBytes(StandardCharsets.UTF_8);
        SharedSecretAuthenticator auth = new SharedSecretAuthenticator(List.of(secret));
        String username = (NOW.getEpochSecond() + 3600) + ":alice";
        String password = base64HmacSha1(secret, username);
        assertThat(auth.longTermKey(username, REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(io.rtc4j.stun.StunIntegrity.longTermKey(username, REALM, password)));
        String bare = Long.toString(NOW.getEpochSecond() + 60);
        byte[] bareKey = io.rtc4j.stun.StunIntegrity.longTermKey(bare, REALM, base64HmacSha1(secret, bare));
        assertThat(auth.longTermKey(bare, REALM, NOW)).hasValueSatisfying(k -> assertThat(k).isEqualTo(bareKey));
        String userFirst = "alice:" + (NOW.getEpochSecond() + 60); // coturn accepts this order too
        assertThat(auth.longTermKey(userFirst, REALM, NOW)).isPresent();
    }

    @Test
    void sharedSecretExpiry() {
        SharedSecretAuthenticator auth = SharedSecretAuthenticator.ofStrings(List.of("north-wind"));
        long now = NOW.getEpochSecond();
        assertThat(auth.longTermKey((now - 1) + ":alice", REALM, NOW)).as("expired a second ago").isEmpty();
        assertThat(auth.longTermKey(now + ":alice", REALM, NOW)).as("good through its expiry second").isPresent();
        assertThat(auth.longTermKey(now + ":alice", REALM, NOW.plusMillis(999))).isPresent();
        assertThat(auth.longTermKey(now + ":alice", REALM, NOW.plusSeconds(1))).isEmpty();
    }

    @Test
    void sharedSecretRejectsMalformedUsernamesWithoutThrowing() {
        SharedSecretAuthenticator auth = SharedSecretAuthenticator.ofStrings(List.of("north-wind"));
        for (String bad : new String[] {
            "", ":", "alice", "alice:bob", "12a4:alice", "-1767229200:alice", "+1767229200", "99999999999999999999",
            "1767229200 :alice", "\u0661\u0662:alice", "x".repeat(100_000)
        }) {
            assertThat(auth.longTermKeys(bad, REALM, NOW)).as(bad.length() > 40 ? "long" : bad).isEmpty();
        }
        assertThat(auth.longTermKeys(null, REALM, NOW)).isEmpty();
        assertThat(SharedSecretAuthenticator.expiry("1767229200:alice")).hasValue(1767229200L);
        assertThat(SharedSecretAuthenticator.expiry("alice:1767229200")).hasValue(1767229200L);
        assertThat(SharedSecretAuthenticator.expiry("1767229200")).hasValue(1767229200L);
        assertThat(SharedSecretAuthenticator.expiry("1767229200:a:b")).hasValue(1767229200L);
        assertThat(SharedSecretAuthenticator.expiry("a:b:1767229200")).isEmpty();
        assertThat(SharedSecretAuthenticator.userPart("1767229200:alice")).isEqualTo("alice");
        assertThat(SharedSecretAuthenticator.userPart("alice:1767229200")).isEqualTo("alice");
        assertThat(SharedSecretAuthenticator.userPart("1767229200:a:b")).isEqualTo("a:b");
        assertThat(SharedSecretAuthenticator.userPart("1767229200")).isEqualTo("1767229200");
        assertThat(SharedSecretAuthenticator.userPart("alice:bob")).isEqualTo("alice:bob");
    }

    @Test
    void wrongSecretGivesAKeyThatDoesNotMatch() {
        TurnCredentials minted = TurnCredentials.mint(bytes("right"), "alice", java.time.Duration.ofHours(1), NOW);
        byte[] good = io.rtc4j.stun.StunIntegrity.longTermKey(minted.username(), REALM, minted.password());
        SharedSecretAuthenticator wrong = SharedSecretAuthenticator.ofStrings(List.of("wrong"));
        assertThat(wrong.longTermKey(minted.username(), REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isNotEqualTo(good));
        SharedSecretAuthenticator right = SharedSecretAuthenticator.ofStrings(List.of("right"));
        assertThat(right.longTermKey(minted.username(), REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(good));
    }

    @Test
    void rotationOffersOneCandidatePerSecretInOrder() {
        TurnCredentials minted = TurnCredentials.mint(bytes("new"), "alice", java.time.Duration.ofHours(1), NOW);
        byte[] good = io.rtc4j.stun.StunIntegrity.longTermKey(minted.username(), REALM, minted.password());
        SharedSecretAuthenticator auth = SharedSecretAuthenticator.ofStrings(List.of("old", "new"));
        List<byte[]> keys = auth.longTermKeys(minted.username(), REALM, NOW);
        assertThat(keys).hasSize(2);
        assertThat(keys.get(0)).isNotEqualTo(good);
        assertThat(keys.get(1)).isEqualTo(good);
        assertThat(auth.longTermKey(minted.username(), REALM, NOW))
                .as("the single-key view is the first secret's")
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(keys.get(0)));
    }

    @Test
    void sharedSecretConstructorChecks() {
        assertThatThrownBy(() -> new SharedSecretAuthenticator(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SharedSecretAuthenticator(List.of(new byte[0])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compositeTriesStaticUsersFirst() {
        StaticUserAuthenticator users = StaticUserAuthenticator.parse(List.of("alice:pw"));
        SharedSecretAuthenticator rest = SharedSecretAuthenticator.ofStrings(List.of("s1", "s2"));
        CompositeAuthenticator auth = CompositeAuthenticator.of(users, rest);
        assertThat(auth.longTermKey("alice", REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(io.rtc4j.stun.StunIntegrity.longTermKey("alice", REALM, "pw")));
        String restUser = (NOW.getEpochSecond() + 10) + ":bob";
        assertThat(auth.longTermKey(restUser, REALM, NOW))
                .hasValueSatisfying(k -> assertThat(k).isEqualTo(rest.longTermKey(restUser, REALM, NOW).orElseThrow()));
        assertThat(auth.longTermKeys(restUser, REALM, NOW)).hasSize(2);
        assertThat(auth.longTermKeys("alice", REALM, NOW)).hasSize(1);
        assertThat(auth.longTermKey("nobody", REALM, NOW)).isEmpty();
        assertThat(auth.longTermKeys("nobody", REALM, NOW)).isEmpty();
    }

    static String base64HmacSha1(byte[] secret, String message) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret, "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
