package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpAssociation.State;
import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.Sack;
import io.rtc4j.sctp.SctpEvent.PacketDropped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The data path of an established {@link SctpAssociation} (RFC 9260 §6): received DATA into the receiver, when to
 * SACK (§6.2 delayed acks), and the flush that bundles SACK, FORWARD-TSN, RE-CONFIG and DATA into packets.
 */
final class SctpDataPath {
    private final SctpAssociation association;
    private final SctpConfig config;
    private Instant sackAt; // delayed-ack timer; null: not running
    private boolean sackNow;
    private int packetsSinceSack;

    SctpDataPath(SctpAssociation association, SctpConfig config) {
        this.association = association;
        this.config = config;
    }

    /** One DATA chunk; returns whether it reached the receiver (then {@link #afterData} follows the packet). */
    boolean onData(Data d) {
        SctpReceiver receiver = association.receiver;
        if (receiver == null || association.state == State.SHUTDOWN_ACK_SENT) {
            association.drop("DATA in state " + association.state);
            return false;
        }
        boolean valid = d.streamId() < Math.min(config.streams(), association.peer.peerOutboundStreams());
        SctpReceiver.Result r = receiver.onData(d, valid);
        switch (r) {
            case DUPLICATE -> sackNow = true; // §6.2: report duplicates at once
            case NO_ROOM -> association.drop("no receive buffer room for TSN " + Integer.toUnsignedString(d.tsn()));
            case NEW -> {
                if (d.immediate()) {
                    sackNow = true;
                }
            }
        }
        if (!valid) {
            association.emit(new PacketDropped("DATA on invalid stream " + d.streamId()));
        }
        return true;
    }

    /** After a packet that carried DATA. */
    void afterData(Instant now) {
        SctpReceiver receiver = association.receiver;
        if (receiver.violation()) {
            association.abortWith(now, SctpErrorCause.PROTOCOL_VIOLATION, "message larger than max-message-size");
            return;
        }
        association.resets.onCumulativeTsn(now);
        // §6.2: SACK at once on gaps or duplicates, else at least every second packet or after the delay.
        if (receiver.hasGaps() || association.state != State.ESTABLISHED) {
            sackNow = true;
        }
        if (++packetsSinceSack >= 2) {
            sackNow = true;
        }
        if (!sackNow && sackAt == null) {
            sackAt = now.plus(config.delayedAck());
        }
    }

    /** A SACK goes out with the next flush (e.g. RFC 3758 §3.6 after a FORWARD-TSN). */
    void sackSoon() {
        sackNow = true;
    }

    Instant deadline() {
        return sackAt;
    }

    void onTimeout(Instant now) {
        if (sackAt != null && !sackAt.isAfter(now)) {
            sackNow = true;
        }
    }

    void stop() {
        sackAt = null;
    }

    /** Sends what is due: SACK, FORWARD-TSN, RE-CONFIG and DATA, bundled into as few packets as fit. */
    void flush(Instant now) {
        SctpReceiver receiver = association.receiver;
        SctpSender sender = association.sender;
        SctpStreamReset resets = association.resets;
        State state = association.state;
        boolean dataAllowed = state == State.ESTABLISHED || state == State.SHUTDOWN_PENDING
                || state == State.SHUTDOWN_RECEIVED;
        int dataPackets = 0;
        for (int packets = 0; packets < 100_000; packets++) {
            List<SctpChunk> chunks = new ArrayList<>();
            int room = config.mtu() - SctpCodec.COMMON_HEADER;
            if (sackNow) {
                Sack s = receiver.sack();
                chunks.add(s);
                room -= SctpCodec.padded(SctpCodec.chunkLength(s));
                sackNow = false;
                sackAt = null;
                packetsSinceSack = 0;
            }
            ForwardTsn f = sender.takeForwardTsn();
            if (f != null) {
                chunks.add(f);
                room -= SctpCodec.padded(SctpCodec.chunkLength(f));
            }
            room -= resets.addPending(now, chunks, room);
            if (dataAllowed && room > SctpCodec.DATA_HEADER && dataPackets < SctpAssociation.MAX_BURST) {
                int used = sender.fill(now, chunks, room);
                room -= used;
                if (used > 0) {
                    dataPackets++;
                }
            }
            if (dataAllowed) {
                resets.startIfReady(now);
                room -= resets.addPending(now, chunks, room);
            }
            if (chunks.isEmpty()) {
                break;
            }
            association.packetSent(now, chunks);
        }
    }
}
