package io.rtc4j.sctp.datachannel;

import java.time.Duration;

/**
 * A data channel's fixed properties (RFC 8831 §6.4). State and bufferedAmount live in {@link DataChannelEndpoint}.
 *
 * @param id the SCTP stream id
 */
public record DataChannel(int id, String label, String protocol, boolean ordered, Integer maxRetransmits,
        Duration maxPacketLifeTime, boolean negotiated) {}
