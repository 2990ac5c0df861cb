package io.rtc4j.turn.client;

import io.rtc4j.stun.StunRetransmission;
import io.rtc4j.stun.Username;
import io.rtc4j.turn.TransportProtocol;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link TurnClient}, validated once. Build with {@link #builder}.
 *
 * @param username long-term credential user (RFC 8489 §9.2; a TURN REST username works the same way)
 * @param password its password; the key is MD5(username:realm:password) once the realm is known (§9.2.2)
 * @param transport how the client reaches the server: UDP datagrams, or a TCP/TLS byte stream
 * @param lifetime the LIFETIME to ask for in Allocate and Refresh, or null for the server's default
 *     (600 s, RFC 8656 §3.2)
 * @param retransmission RFC 8489 §6.2 policy: {@link StunRetransmission.Unreliable} over UDP,
 *     {@link StunRetransmission.Reliable} over TCP/TLS
 * @param software SOFTWARE to send in requests, or null for none
 * @param fingerprint whether requests carry FINGERPRINT (RFC 8489 §14.7; useful where TURN shares a port)
 * @param maxStaleNonceRetries how many 438 Stale Nonce answers one request may get before it fails
 * @param refreshMargin how long before the allocation expires the client refreshes it (half the lifetime
 *     when that is shorter); must exceed the retransmission timeout to leave room for a lost Refresh
 * @param permissionRefresh CreatePermission again this long after the last success (permissions last 300 s,
 *     RFC 8656 §9)
 * @param channelRefresh ChannelBind again this long after the last success (bindings last 600 s, §12)
 */
public record TurnClientConfig(
        String username,
        String password,
        TransportProtocol transport,
        Duration lifetime,
        StunRetransmission retransmission,
        String software,
        boolean fingerprint,
        int maxStaleNonceRetries,
        Duration refreshMargin,
        Duration permissionRefresh,
        Duration channelRefresh) {

    public TurnClientConfig {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(retransmission, "retransmission");
        new Username(username); // the same limits as on the wire
        if (lifetime != null && (lifetime.toSeconds() < 1 || lifetime.toSeconds() > 0xFFFFFFFFL)) {
            throw new IllegalArgumentException("lifetime out of range: " + lifetime);
        }
        // RFC 8489 §6.2.2: over a reliable transport the client must not retransmit
        if (transport.isStream() != (retransmission instanceof StunRetransmission.Reliable)) {
            throw new IllegalArgumentException(transport + " needs a " + (transport.isStream() ? "reliable" : "UDP")
                    + " retransmission policy: " + retransmission);
        }
        if (maxStaleNonceRetries < 0 || maxStaleNonceRetries > 10) {
            throw new IllegalArgumentException("maxStaleNonceRetries must be 0..10: " + maxStaleNonceRetries);
        }
        requirePositive(refreshMargin, "refreshMargin");
        requirePositive(permissionRefresh, "permissionRefresh");
        requirePositive(channelRefresh, "channelRefresh");
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    /** UDP, server-chosen lifetime, RFC 8489 retransmission, FINGERPRINT on, refresh timers as RFC 8656 needs. */
    public static Builder builder(String username, String password) {
        return new Builder(username, password);
    }

    public static final class Builder {
        private final String username;
        private final String password;
        private TransportProtocol transport = TransportProtocol.UDP;
        private Duration lifetime;
        private StunRetransmission retransmission;
        private String software;
        private boolean fingerprint = true;
        private int maxStaleNonceRetries = 3;
        private Duration refreshMargin = Duration.ofSeconds(60);
        private Duration permissionRefresh = Duration.ofSeconds(240);
        private Duration channelRefresh = Duration.ofSeconds(540);

        private Builder(String username, String password) {
            this.username = username;
            this.password = password;
        }

        /** The transport; the retransmission policy follows it unless set explicitly. */
        public Builder transport(TransportProtocol t) {
            this.transport = t;
            return this;
        }

        public Builder lifetime(Duration d) {
            this.lifetime = d;
            return this;
        }

        public Builder retransmission(StunRetransmission r) {
            this.retransmission = r;
            return this;
        }

        public Builder software(String s) {
            this.software = s;
            return this;
        }

        public Builder fingerprint(boolean f) {
            this.fingerprint = f;
            return this;
        }

        public Builder maxStaleNonceRetries(int n) {
            this.maxStaleNonceRetries = n;
            return this;
        }

        public Builder refreshMargin(Duration d) {
            this.refreshMargin = d;
            return this;
        }

        public Builder permissionRefresh(Duration d) {
            this.permissionRefresh = d;
            return this;
        }

        public Builder channelRefresh(Duration d) {
            this.channelRefresh = d;
            return this;
        }

        public TurnClientConfig build() {
            StunRetransmission r = retransmission != null
                    ? retransmission
                    : transport != null && transport.isStream() ? StunRetransmission.reliable() : StunRetransmission.udp();
            return new TurnClientConfig(username, password, transport, lifetime, r, software, fingerprint,
                    maxStaleNonceRetries, refreshMargin, permissionRefresh, channelRefresh);
        }
    }
}
