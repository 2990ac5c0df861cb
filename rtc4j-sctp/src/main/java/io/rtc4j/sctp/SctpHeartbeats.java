package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Heartbeat;
import io.rtc4j.sctp.SctpChunk.HeartbeatAck;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Path heartbeats for {@link SctpAssociation} (RFC 9260 §8.3): a HEARTBEAT after an idle interval, an RTT sample
 * from its echo, and an error count when it goes unanswered.
 */
final class SctpHeartbeats {
    private final SctpAssociation association;
    private final RandomGenerator random;
    private Instant at; // null: not running
    private boolean pending;

    SctpHeartbeats(SctpAssociation association, RandomGenerator random) {
        this.association = association;
        this.random = random;
    }

    /** Restarts the idle interval (association up, or a packet sent while no heartbeat is outstanding). */
    void idleFrom(Instant now) {
        at = now.plus(association.config.heartbeatInterval());
    }

    /** A packet went out: the path is in use, so the idle interval starts again unless a heartbeat is pending. */
    void onSent(Instant now) {
        if (!pending) {
            idleFrom(now);
        }
    }

    Instant deadline() {
        return at;
    }

    void stop() {
        at = null;
    }

    void onTimer(Instant now) {
        if (pending) {
            association.rto.backOff();
            if (association.countError(now, "heartbeats unanswered")) {
                return;
            }
        }
        ByteBuffer info = ByteBuffer.allocate(16).putLong(now.getEpochSecond()).putInt(now.getNano())
                .putInt(random.nextInt());
        association.sendControl(now, new Heartbeat(info.array()), association.peerTag);
        pending = true;
        at = now.plus(association.rto.rto());
    }

    void onAck(Instant now, HeartbeatAck h) {
        if (h.info().length != 16 || !pending) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(h.info());
        Instant sent = Instant.ofEpochSecond(b.getLong(), b.getInt());
        if (!sent.isAfter(now)) {
            association.rto.measured(Duration.between(sent, now).toNanos());
        }
        pending = false;
        association.resetErrors();
        idleFrom(now);
    }
}
