package io.rtc4j.signaling;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and policies of the signaling server, validated once here.
 *
 * @param maxPeersPerRoom room capacity; a join beyond it gets {@code error/room_full}
 * @param maxMessageBytes largest text message; a larger one closes the connection with 1009 (RFC 6455 §7.4.1)
 * @param ratePerSecond token bucket refill per connection (messages per second)
 * @param rateBurst token bucket size per connection
 * @param duplicatePeerPolicy what a second join with the same peer id in a room does
 * @param pingInterval WebSocket ping after this much silence in both directions (RFC 6455 §5.5.2)
 * @param idleTimeout close a connection from which nothing (not even a pong) arrived for this long
 * @param maxChatChars longest chat text
 * @param tokenSecret HS256 secret; when set, every join needs a valid access token; null = open
 */
public record SignalingConfig(
        int maxPeersPerRoom,
        int maxMessageBytes,
        double ratePerSecond,
        int rateBurst,
        DuplicatePeerPolicy duplicatePeerPolicy,
        Duration pingInterval,
        Duration idleTimeout,
        int maxChatChars,
        byte[] tokenSecret) {

    public SignalingConfig {
        Objects.requireNonNull(duplicatePeerPolicy, "duplicatePeerPolicy");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (maxPeersPerRoom < 1) {
            throw new IllegalArgumentException("maxPeersPerRoom must be at least 1");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("maxMessageBytes must be at least 1024 (an SDP offer is a few KiB)");
        }
        if (!(ratePerSecond > 0) || rateBurst < 1) {
            throw new IllegalArgumentException("rate limit must be positive");
        }
        if (pingInterval.isNegative() || pingInterval.isZero() || idleTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("need 0 < pingInterval < idleTimeout");
        }
        if (maxChatChars < 1) {
            throw new IllegalArgumentException("maxChatChars must be at least 1");
        }
        if (tokenSecret != null) {
            if (tokenSecret.length < AccessToken.MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("token secret must have at least " + AccessToken.MIN_SECRET_BYTES + " bytes");
            }
            tokenSecret = tokenSecret.clone();
        }
    }

    public static SignalingConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public byte[] tokenSecret() {
        return tokenSecret == null ? null : tokenSecret.clone();
    }

    public boolean tokensRequired() {
        return tokenSecret != null;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.maxPeersPerRoom = maxPeersPerRoom;
        b.maxMessageBytes = maxMessageBytes;
        b.ratePerSecond = ratePerSecond;
        b.rateBurst = rateBurst;
        b.duplicatePeerPolicy = duplicatePeerPolicy;
        b.pingInterval = pingInterval;
        b.idleTimeout = idleTimeout;
        b.maxChatChars = maxChatChars;
        b.tokenSecret = tokenSecret;
        return b;
    }

    @Override
    public String toString() {
        return "SignalingConfig[maxPeersPerRoom=" + maxPeersPerRoom + ", maxMessageBytes=" + maxMessageBytes
                + ", rate=" + ratePerSecond + "/s burst " + rateBurst + ", duplicatePeerPolicy=" + duplicatePeerPolicy
                + ", pingInterval=" + pingInterval + ", idleTimeout=" + idleTimeout + ", tokens="
                + (tokenSecret == null ? "off" : "required") + "]";
    }

    /** Defaults: 16 peers per room, 64 KiB messages, 50 messages/s with bursts of 200, REPLACE, ping every 10 s, idle 30 s. */
    public static final class Builder {
        private int maxPeersPerRoom = 16;
        private int maxMessageBytes = 64 * 1024;
        private double ratePerSecond = 50;
        private int rateBurst = 200;
        private DuplicatePeerPolicy duplicatePeerPolicy = DuplicatePeerPolicy.REPLACE;
        private Duration pingInterval = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private int maxChatChars = 4000;
        private byte[] tokenSecret;

        public Builder maxPeersPerRoom(int v) {
            maxPeersPerRoom = v;
            return this;
        }

        public Builder maxMessageBytes(int v) {
            maxMessageBytes = v;
            return this;
        }

        public Builder rateLimit(double perSecond, int burst) {
            ratePerSecond = perSecond;
            rateBurst = burst;
            return this;
        }

        public Builder duplicatePeerPolicy(DuplicatePeerPolicy v) {
            duplicatePeerPolicy = v;
            return this;
        }

        public Builder heartbeat(Duration pingEvery, Duration idleAfter) {
            pingInterval = pingEvery;
            idleTimeout = idleAfter;
            return this;
        }

        public Builder maxChatChars(int v) {
            maxChatChars = v;
            return this;
        }

        public Builder tokenSecret(byte[] v) {
            tokenSecret = v;
            return this;
        }

        public SignalingConfig build() {
            return new SignalingConfig(maxPeersPerRoom, maxMessageBytes, ratePerSecond, rateBurst,
                    duplicatePeerPolicy, pingInterval, idleTimeout, maxChatChars, tokenSecret);
        }
    }
}
