package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.ReConfig;
import io.rtc4j.sctp.SctpParameter.OutgoingSsnResetRequest;
import io.rtc4j.sctp.SctpParameter.ReconfigResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Stream reset (RFC 6525): our Outgoing SSN Reset Requests, one at a time, sent once the streams' queued messages
 * are out; the peer's requests performed once its last assigned TSN arrived (deferred, §5.2.2). Other request
 * types are denied: WebRTC uses only outgoing resets (RFC 8831 §6.7).
 */
final class SctpStreamReset {
    private final SctpAssociation association;
    private final Set<Integer> wanted = new LinkedHashSet<>();
    private final List<SctpParameter> responses = new ArrayList<>();
    private int nextRequestSeq;
    private OutgoingSsnResetRequest inflight;
    private boolean sendInflight;
    private Instant deadline;
    private int peerExpectedSeq;
    private int lastResult = ReconfigResponse.SUCCESS_NOTHING_TO_DO;
    private OutgoingSsnResetRequest deferred;

    SctpStreamReset(SctpAssociation association, int initialTsn) {
        this.association = association;
        this.nextRequestSeq = initialTsn; // §5.1.1: starts at our initial TSN
    }

    void start(int peerInitialTsn) {
        peerExpectedSeq = peerInitialTsn;
    }

    void request(List<Integer> streams) {
        for (int s : streams) {
            if (s < 0 || s > 0xFFFF) {
                throw new IllegalArgumentException("stream id out of range: " + s);
            }
        }
        wanted.addAll(streams);
    }

    boolean resetting(int stream) {
        return wanted.contains(stream) || (inflight != null && inflight.streams().contains(stream));
    }

    Instant deadline() {
        return inflight == null ? null : deadline;
    }

    /** Starts a request for the wanted streams whose queues are empty, if none is outstanding. */
    void startIfReady(Instant now) {
        if (inflight != null || wanted.isEmpty()) {
            return;
        }
        List<Integer> ready = new ArrayList<>();
        for (int s : wanted) {
            if (!association.sender.hasQueued(s)) {
                ready.add(s);
            }
        }
        if (ready.isEmpty()) {
            return;
        }
        ready.forEach(wanted::remove);
        inflight = new OutgoingSsnResetRequest(nextRequestSeq, peerExpectedSeq - 1,
                (int) (association.localNextTsn() - 1), ready);
        sendInflight = true;
        deadline = now.plus(association.rto.rto());
    }

    /** Adds one RE-CONFIG with what is due if it fits {@code room}; returns the bytes used. */
    int addPending(Instant now, List<SctpChunk> chunks, int room) {
        if (responses.isEmpty() && !sendInflight) {
            return 0;
        }
        List<SctpParameter> params = new ArrayList<>(2);
        if (!responses.isEmpty()) {
            params.add(responses.get(0));
        }
        if (sendInflight) {
            params.add(inflight);
        }
        ReConfig r = new ReConfig(params);
        int size = SctpCodec.padded(SctpCodec.chunkLength(r));
        if (size > room) {
            return 0;
        }
        if (!responses.isEmpty()) {
            responses.remove(0);
        }
        sendInflight = false;
        chunks.add(r);
        return size;
    }

    void onTimer(Instant now) {
        association.rto.backOff();
        sendInflight = true;
        deadline = now.plus(association.rto.rto());
    }

    void onReConfig(Instant now, ReConfig r) {
        for (SctpParameter p : r.parameters()) {
            switch (p) {
                case OutgoingSsnResetRequest q -> onPeerRequest(q);
                case ReconfigResponse resp -> onResponse(now, resp);
                case SctpParameter.IncomingSsnResetRequest q -> deny(q.requestSeq());
                case SctpParameter.SsnTsnResetRequest q -> deny(q.requestSeq());
                case SctpParameter.AddStreams q -> deny(q.requestSeq());
                default -> association.drop("unexpected RE-CONFIG parameter " + p.type());
            }
        }
        onCumulativeTsn(now);
    }

    private void deny(int seq) {
        if (seq == peerExpectedSeq) {
            peerExpectedSeq++;
            lastResult = ReconfigResponse.DENIED;
        }
        responses.add(ReconfigResponse.of(seq, ReconfigResponse.DENIED));
    }

    private void onPeerRequest(OutgoingSsnResetRequest q) {
        int result;
        if (q.requestSeq() == peerExpectedSeq) {
            if (association.receiver.unwrap(q.lastTsn()) <= association.receiver.cumTsn()) {
                perform(q);
                result = ReconfigResponse.SUCCESS_PERFORMED;
            } else {
                deferred = q; // §5.2.2: wait for all data up to the sender's last assigned TSN
                result = ReconfigResponse.IN_PROGRESS;
            }
        } else if (q.requestSeq() == peerExpectedSeq - 1) {
            result = lastResult; // a retransmission: same answer
        } else {
            result = ReconfigResponse.ERROR_BAD_SEQUENCE_NUMBER;
        }
        responses.add(ReconfigResponse.of(q.requestSeq(), result));
    }

    private void perform(OutgoingSsnResetRequest q) {
        association.receiver.resetStreams(q.streams());
        association.emit(new SctpEvent.IncomingStreamsReset(q.streams()));
        peerExpectedSeq++;
        lastResult = ReconfigResponse.SUCCESS_PERFORMED;
        deferred = null;
    }

    /** Finishes a deferred peer request once the cumulative TSN reached its last assigned TSN. */
    void onCumulativeTsn(Instant now) {
        if (deferred != null && association.receiver.unwrap(deferred.lastTsn()) <= association.receiver.cumTsn()) {
            OutgoingSsnResetRequest q = deferred;
            perform(q);
            responses.add(ReconfigResponse.of(q.requestSeq(), ReconfigResponse.SUCCESS_PERFORMED));
        }
    }

    private void onResponse(Instant now, ReconfigResponse resp) {
        if (inflight == null || resp.responseSeq() != inflight.requestSeq()) {
            return;
        }
        switch (resp.result()) {
            case ReconfigResponse.SUCCESS_PERFORMED, ReconfigResponse.SUCCESS_NOTHING_TO_DO -> {
                association.sender.resetStreams(inflight.streams());
                association.emit(new SctpEvent.OutgoingStreamsReset(inflight.streams()));
                finish();
            }
            case ReconfigResponse.IN_PROGRESS -> deadline = now.plus(association.rto.rto());
            default -> {
                association.emit(new SctpEvent.StreamResetFailed(inflight.streams(), resp.result()));
                finish();
            }
        }
    }

    private void finish() {
        inflight = null;
        sendInflight = false;
        deadline = null;
        nextRequestSeq++;
    }
}
