package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NonceServiceTest {

    private static final Instant T0 = SimClock.EPOCH;
    private static final byte[] KEY = randomBytes(32);

    private final NonceService nonces = new NonceService(KEY);
    private final InetSocketAddress client = new InetSocketAddress(IpRangeTest.ip("198.51.100.7"), 40000);

    @Test
    void freshNonceIsValidForItsClient() {
        String n = nonces.issue(client, T0);
        assertThat(n).hasSize(32).matches("[A-Za-z0-9_-]+").startsWith("AAA");
        assertThat(nonces.check(n, client, T0)).isEqualTo(NonceStatus.VALID);
        assertThat(nonces.check(n, client, T0.plus(Duration.ofMinutes(10)))).isEqualTo(NonceStatus.VALID);
    }

    @Test
    void staleAfterItsLifetime() {
        String n = nonces.issue(client, T0);
        assertThat(nonces.check(n, client, T0.plus(Duration.ofMinutes(10)).plusMillis(1))).isEqualTo(NonceStatus.STALE);
        assertThat(nonces.check(n, client, T0.plus(Duration.ofDays(365)))).isEqualTo(NonceStatus.STALE);
        NonceService shortLived = new NonceService(KEY, Duration.ofSeconds(30));
        assertThat(shortLived.lifetime()).isEqualTo(Duration.ofSeconds(30));
        String s = shortLived.issue(client, T0);
        assertThat(shortLived.check(s, client, T0.plusSeconds(30))).isEqualTo(NonceStatus.VALID);
        assertThat(shortLived.check(s, client, T0.plusSeconds(31))).isEqualTo(NonceStatus.STALE);
    }

    @Test
    void boundToAddressAndPort() throws Exception {
        String n = nonces.issue(client, T0);
        assertThat(nonces.check(n, new InetSocketAddress(client.getAddress(), 40001), T0)).isEqualTo(NonceStatus.INVALID);
        assertThat(nonces.check(n, new InetSocketAddress(IpRangeTest.ip("198.51.100.8"), 40000), T0))
                .isEqualTo(NonceStatus.INVALID);
        InetSocketAddress v6 = new InetSocketAddress(IpRangeTest.ip("2001:db8::7"), 40000);
        String n6 = nonces.issue(v6, T0);
        assertThat(nonces.check(n6, v6, T0)).isEqualTo(NonceStatus.VALID);
        assertThat(nonces.check(n6, client, T0)).isEqualTo(NonceStatus.INVALID);
        assertThat(nonces.check(n, InetSocketAddress.createUnresolved("x", 1), T0)).isEqualTo(NonceStatus.INVALID);
        assertThat(nonces.check(n, null, T0)).isEqualTo(NonceStatus.INVALID);
    }

    @Test
    void tamperingIsDetected() {
        String n = nonces.issue(client, T0);
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            String flipped = n.substring(0, i) + (c == 'A' ? 'B' : 'A') + n.substring(i + 1);
            assertThat(nonces.check(flipped, client, T0)).as("char %d", i).isEqualTo(NonceStatus.INVALID);
        }
        // Extending the expiry (a stale nonce made fresh) breaks the MAC too.
        String later = nonces.issue(client, T0.plusSeconds(3600));
        String spliced = later.substring(0, 11) + n.substring(11);
        assertThat(nonces.check(spliced, client, T0)).isEqualTo(NonceStatus.INVALID);
    }

    @Test
    void anotherKeyDoesNotAcceptOurNonces() {
        String n = nonces.issue(client, T0);
        byte[] other = KEY.clone();
        other[0] ^= 1;
        assertThat(new NonceService(other).check(n, client, T0)).isEqualTo(NonceStatus.INVALID);
        assertThat(new NonceService(KEY.clone()).check(n, client, T0)).as("same key, another instance").isEqualTo(NonceStatus.VALID);
    }

    @Test
    void garbageNeverThrows() {
        String[] garbage = {
            null, "", "A", "f//499k954d6OL34oL9FSTvy64sA", "obMatJos2AAACf//499k954d6OL34oL9FSTvy64sA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "////////////////////////////////", "AAAA=AAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", "\u00e9".repeat(32), "\0".repeat(32), "x".repeat(1_000_000),
            "0123456789abcdef0123456789abcdef0123456789abcdef"
        };
        for (String g : garbage) {
            assertThat(nonces.check(g, client, T0)).isEqualTo(NonceStatus.INVALID);
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = random.nextInt(40); j > 0; j--) {
                sb.append((char) random.nextInt(128));
            }
            assertThat(nonces.check(sb.toString(), client, T0)).isEqualTo(NonceStatus.INVALID);
        }
    }

    @Test
    void noncesDifferOverTimeAndAreShort() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String n = nonces.issue(client, T0.plusMillis(i));
            assertThat(n.length()).isLessThan(128);
            assertThat(seen.add(n)).isTrue();
        }
    }

    @Test
    void constructorChecks() {
        assertThatThrownBy(() -> new NonceService(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NonceService(KEY, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NonceService(KEY, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nonces.issue(InetSocketAddress.createUnresolved("x", 1), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(NonceService.DEFAULT_LIFETIME).isEqualTo(Duration.ofMinutes(10));
    }

    /** Seeded, so the test is deterministic; the driver uses a SecureRandom. */
    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SplittableRandom(42).nextBytes(b);
        return b;
    }
}
