package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpAssociation.State;
import io.rtc4j.sctp.SctpChunk.Shutdown;
import io.rtc4j.sctp.SctpChunk.ShutdownAck;
import io.rtc4j.sctp.SctpChunk.ShutdownComplete;
import io.rtc4j.sctp.SctpEvent.AssociationClosed;
import java.time.Instant;

/**
 * Graceful shutdown for {@link SctpAssociation} (RFC 9260 §9.2): SHUTDOWN once our data is all acknowledged,
 * SHUTDOWN ACK once the peer's is, SHUTDOWN COMPLETE, and the T2-shutdown timer.
 */
final class SctpShutdown {
    private final SctpAssociation association;
    private Instant t2; // null: not running
    private int t2Count;

    SctpShutdown(SctpAssociation association) {
        this.association = association;
    }

    /** A SHUTDOWN arrived (its cumulative TSN ack was already applied). */
    void onShutdown(Instant now) {
        switch (association.state) {
            case ESTABLISHED, SHUTDOWN_PENDING -> association.state = State.SHUTDOWN_RECEIVED;
            case SHUTDOWN_SENT -> {
                association.state = State.SHUTDOWN_ACK_SENT; // §9.2: both sent SHUTDOWN
                association.sendControl(now, new ShutdownAck(), association.peerTag);
                start(now);
            }
            default -> {}
        }
    }

    void onShutdownAck(Instant now) {
        if (association.state == State.SHUTDOWN_SENT || association.state == State.SHUTDOWN_ACK_SENT) {
            association.sendControl(now, new ShutdownComplete(false), association.peerTag);
            association.close(AssociationClosed.Reason.SHUTDOWN_COMPLETED, "shutdown completed");
        }
    }

    void onShutdownComplete() {
        if (association.state == State.SHUTDOWN_ACK_SENT) {
            association.close(AssociationClosed.Reason.SHUTDOWN_COMPLETED, "shutdown completed");
        }
    }

    /** After each flush: the next step once the sender is idle. */
    void progress(Instant now) {
        if (association.state == State.SHUTDOWN_PENDING && association.sender.idle() && t2 == null) {
            association.state = State.SHUTDOWN_SENT;
            association.sendControl(now, new Shutdown((int) association.receiver.cumTsn()), association.peerTag);
            start(now);
        } else if (association.state == State.SHUTDOWN_RECEIVED && association.sender.idle()) {
            association.state = State.SHUTDOWN_ACK_SENT;
            association.sendControl(now, new ShutdownAck(), association.peerTag);
            start(now);
        }
    }

    private void start(Instant now) {
        t2 = now.plus(association.rto.rto());
        t2Count = 0;
    }

    Instant deadline() {
        return t2;
    }

    void stop() {
        t2 = null;
    }

    /** T2-shutdown; returns true when the association gave up (it is closed then). */
    boolean onTimeout(Instant now) {
        if (t2 == null || t2.isAfter(now)) {
            return false;
        }
        if (++t2Count > association.config.maxRetransmissions()) {
            association.close(AssociationClosed.Reason.FAILED, "shutdown timed out");
            return true;
        }
        association.rto.backOff();
        association.sendControl(now, association.state == State.SHUTDOWN_SENT
                ? new Shutdown((int) association.receiver.cumTsn()) : new ShutdownAck(), association.peerTag);
        t2 = now.plus(association.rto.rto());
        return false;
    }
}
