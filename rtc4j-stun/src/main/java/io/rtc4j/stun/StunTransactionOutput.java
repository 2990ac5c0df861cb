package io.rtc4j.stun;

import java.nio.ByteBuffer;
import java.time.Instant;

/** What {@link StunTransactions#pollOutput()} asks of its driver. */
public sealed interface StunTransactionOutput {
    /**
     * Send {@code data} (the encoded request, a first transmission or a retransmission) to the server. The
     * buffer is a fresh view of the request's bytes: read it, do not modify it.
     */
    record Transmit(TransactionId id, ByteBuffer data) implements StunTransactionOutput {}

    /** The response (success or error) that ended transaction {@link StunMessage#transactionId()}. */
    record ResponseReceived(StunMessage response) implements StunTransactionOutput {}

    /** No response came in time (RFC 8489 §6.2.1: after Rc transmissions and Rm RTO; §6.2.2: after Ti). */
    record TimedOut(TransactionId id) implements StunTransactionOutput {}

    /** Nothing more to do now: call {@link StunTransactions#handleTimeout} at {@code at} ({@link Instant#MAX}: idle). */
    record Timeout(Instant at) implements StunTransactionOutput {}
}
