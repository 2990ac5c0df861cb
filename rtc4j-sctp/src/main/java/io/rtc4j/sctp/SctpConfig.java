package io.rtc4j.sctp;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link SctpAssociation}, validated once.
 *
 * @param localPort SCTP port from our SDP's a=sctp-port (RFC 8841), 5000 by default
 * @param remotePort the peer's a=sctp-port
 * @param mtu the largest SCTP packet we send (the DTLS record payload), 1200 by default
 * @param receiveBufferBytes our receive window (a_rwnd): bytes buffered for reassembly and ordering
 * @param maxMessageSize the largest message we accept (our a=max-message-size), at least 256 KiB by default
 * @param remoteMaxMessageSize the peer's a=max-message-size (RFC 8841 §6.1: 65536 when absent; 0 = unlimited)
 * @param streams outbound and inbound stream counts we announce
 * @param maxSendQueueBytes bytes {@code send} may queue before it refuses more (bounded memory)
 * @param zeroChecksum announce and use the RFC 9653 zero checksum with EDMID DTLS (safe only over DTLS)
 * @param rtoMin the floor of the retransmission timeout: 400 ms by default, as browsers' dcsctp, not RFC 9260
 *     §16's 1 s: a retransmission lost on a data-channel path then stalls the association for 400 ms, not
 *     1 s, and 400 ms stays above the peer's 200 ms delayed-ack timer (measured against Chromium: a 1 s floor
 *     cost one second of a four-second 100 MiB transfer)
 */
public record SctpConfig(
        int localPort,
        int remotePort,
        int mtu,
        long receiveBufferBytes,
        int maxMessageSize,
        int remoteMaxMessageSize,
        int streams,
        long maxSendQueueBytes,
        Duration rtoInitial,
        Duration rtoMin,
        Duration rtoMax,
        Duration delayedAck,
        Duration heartbeatInterval,
        Duration cookieLifetime,
        int maxRetransmissions,
        int maxInitRetransmissions,
        boolean zeroChecksum) {

    public SctpConfig {
        port(localPort, "localPort");
        port(remotePort, "remotePort");
        if (mtu < 256 || mtu > 65535) {
            throw new IllegalArgumentException("mtu must be within [256, 65535]: " + mtu);
        }
        if (maxMessageSize < 1) {
            throw new IllegalArgumentException("maxMessageSize must be > 0: " + maxMessageSize);
        }
        if (remoteMaxMessageSize < 0) {
            throw new IllegalArgumentException("remoteMaxMessageSize must be >= 0: " + remoteMaxMessageSize);
        }
        // The whole largest message must fit the window, or reassembly could never finish.
        if (receiveBufferBytes < maxMessageSize || receiveBufferBytes > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("receiveBufferBytes must be within [maxMessageSize, 2^32): "
                    + receiveBufferBytes);
        }
        if (streams < 1 || streams > 65535) {
            throw new IllegalArgumentException("streams must be within [1, 65535]: " + streams);
        }
        if (maxSendQueueBytes < 1) {
            throw new IllegalArgumentException("maxSendQueueBytes must be > 0");
        }
        positive(rtoInitial, "rtoInitial");
        positive(rtoMin, "rtoMin");
        positive(rtoMax, "rtoMax");
        if (rtoMin.compareTo(rtoMax) > 0) {
            throw new IllegalArgumentException("rtoMin must not exceed rtoMax");
        }
        positive(delayedAck, "delayedAck");
        // RFC 9260 §6.2: the SACK delay MUST NOT exceed 500 ms.
        if (delayedAck.toMillis() > 500) {
            throw new IllegalArgumentException("delayedAck must be <= 500 ms: " + delayedAck);
        }
        positive(heartbeatInterval, "heartbeatInterval");
        positive(cookieLifetime, "cookieLifetime");
        if (maxRetransmissions < 1 || maxInitRetransmissions < 1) {
            throw new IllegalArgumentException("retransmission limits must be > 0");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The default: RFC 9260 §16 timers and limits, WebRTC ports and sizes. */
    public static SctpConfig defaults() {
        return builder().build();
    }

    private static void port(int p, String name) {
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException(name + " must be within [1, 65535]: " + p);
        }
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0: " + d);
        }
    }

    public static final class Builder {
        private int localPort = 5000;
        private int remotePort = 5000;
        private int mtu = 1200;
        // Several MiB so that a 100 ms, 100+ Mbit/s path stays full (the window must exceed the BDP).
        private long receiveBufferBytes = 8L << 20;
        private int maxMessageSize = 256 * 1024;
        private int remoteMaxMessageSize = 65536;
        private int streams = 65535;
        private long maxSendQueueBytes = 64L << 20;
        private Duration rtoInitial = Duration.ofSeconds(1);
        private Duration rtoMin = Duration.ofMillis(400);
        private Duration rtoMax = Duration.ofSeconds(60);
        private Duration delayedAck = Duration.ofMillis(200);
        private Duration heartbeatInterval = Duration.ofSeconds(30);
        private Duration cookieLifetime = Duration.ofSeconds(60);
        private int maxRetransmissions = 10;
        private int maxInitRetransmissions = 8;
        private boolean zeroChecksum;

        private Builder() {}

        public Builder localPort(int v) { localPort = v; return this; }
        public Builder remotePort(int v) { remotePort = v; return this; }
        public Builder mtu(int v) { mtu = v; return this; }
        public Builder receiveBufferBytes(long v) { receiveBufferBytes = v; return this; }
        public Builder maxMessageSize(int v) { maxMessageSize = v; return this; }
        public Builder remoteMaxMessageSize(int v) { remoteMaxMessageSize = v; return this; }
        public Builder streams(int v) { streams = v; return this; }
        public Builder maxSendQueueBytes(long v) { maxSendQueueBytes = v; return this; }
        public Builder rtoInitial(Duration v) { rtoInitial = v; return this; }
        public Builder rtoMin(Duration v) { rtoMin = v; return this; }
        public Builder rtoMax(Duration v) { rtoMax = v; return this; }
        public Builder delayedAck(Duration v) { delayedAck = v; return this; }
        public Builder heartbeatInterval(Duration v) { heartbeatInterval = v; return this; }
        public Builder cookieLifetime(Duration v) { cookieLifetime = v; return this; }
        public Builder maxRetransmissions(int v) { maxRetransmissions = v; return this; }
        public Builder maxInitRetransmissions(int v) { maxInitRetransmissions = v; return this; }
        public Builder zeroChecksum(boolean v) { zeroChecksum = v; return this; }

        public SctpConfig build() {
            return new SctpConfig(localPort, remotePort, mtu, receiveBufferBytes, maxMessageSize,
                    remoteMaxMessageSize, streams, maxSendQueueBytes, rtoInitial, rtoMin, rtoMax, delayedAck,
                    heartbeatInterval, cookieLifetime, maxRetransmissions, maxInitRetransmissions, zeroChecksum);
        }
    }
}
