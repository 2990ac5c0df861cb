package io.rtc4j.turn;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable engine settings (RFC 8656 defaults), validated once.
 *
 * @param realm the REALM of long-term credentials (RFC 8489 §9.2)
 * @param software SOFTWARE sent in responses, or null for none
 * @param defaultLifetime allocation lifetime when none (or less) is asked: 600 s (RFC 8656 §3.2)
 * @param maxLifetime the most a client may ask for: 3600 s (RFC 8656 §7.2)
 * @param permissionLifetime 300 s (RFC 8656 §9)
 * @param channelLifetime 600 s (RFC 8656 §12)
 * @param reservationLifetime how long a RESERVATION-TOKEN keeps its port: 30 s (RFC 8656 §7.2 suggests ~30 s)
 * @param maxBytesPerSecond per allocation and direction (coturn's --max-bps), 0 for unlimited
 */
public record TurnServerConfig(
        String realm,
        String software,
        Duration defaultLifetime,
        Duration maxLifetime,
        Duration permissionLifetime,
        Duration channelLifetime,
        Duration reservationLifetime,
        long maxBytesPerSecond) {

    public TurnServerConfig {
        Objects.requireNonNull(realm, "realm");
        if (realm.isEmpty() || realm.length() >= 128) {
            throw new IllegalArgumentException("the realm must have 1 to 127 characters");
        }
        requirePositive(defaultLifetime, "defaultLifetime");
        requirePositive(maxLifetime, "maxLifetime");
        requirePositive(permissionLifetime, "permissionLifetime");
        requirePositive(channelLifetime, "channelLifetime");
        requirePositive(reservationLifetime, "reservationLifetime");
        if (maxLifetime.compareTo(defaultLifetime) < 0) {
            throw new IllegalArgumentException("maxLifetime is shorter than defaultLifetime");
        }
        if (maxBytesPerSecond < 0 || maxBytesPerSecond > BandwidthLimiter.MAX_BYTES_PER_SECOND) {
            // checked here, once: the limiter would otherwise throw on the first Allocate from the network
            throw new IllegalArgumentException(
                    "maxBytesPerSecond must be in 0.." + BandwidthLimiter.MAX_BYTES_PER_SECOND + ": " + maxBytesPerSecond);
        }
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }

    /** The RFC 8656 defaults for {@code realm}. */
    public static TurnServerConfig defaults(String realm) {
        return new TurnServerConfig(
                realm,
                "rtc4j",
                Duration.ofSeconds(600),
                Duration.ofSeconds(3600),
                Duration.ofSeconds(300),
                Duration.ofSeconds(600),
                Duration.ofSeconds(30),
                0);
    }

    public TurnServerConfig withMaxBytesPerSecond(long bps) {
        return new TurnServerConfig(
                realm, software, defaultLifetime, maxLifetime, permissionLifetime, channelLifetime, reservationLifetime, bps);
    }

    public TurnServerConfig withLifetimes(Duration defaultLifetime, Duration maxLifetime) {
        return new TurnServerConfig(
                realm, software, defaultLifetime, maxLifetime, permissionLifetime, channelLifetime, reservationLifetime,
                maxBytesPerSecond);
    }
}
