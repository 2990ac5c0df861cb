package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.ForwardTsn;
import io.rtc4j.sctp.SctpChunk.Sack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Drives the production {@link SctpSender} and the O(window) {@link SctpSenderReference} with the same inputs and
 * fails at the first difference in anything observable: chunks sent, return values, cwnd, ssthresh, flight, peer
 * window, T3 deadline, FORWARD-TSNs, buffered-amount events and the internal summary in {@code toString}.
 */
final class SctpSenderLockstep {
    final SctpConfig config;
    final SctpSender sender;
    final SctpSenderReference reference;
    private final List<Integer> lowEvents = new ArrayList<>();
    private final List<Integer> lowEventsReference = new ArrayList<>();
    Instant now = Instant.EPOCH;
    long steps;

    SctpSenderLockstep(SctpConfig config, int initialTsn, long peerRwnd, boolean forwardTsn) {
        this.config = config;
        this.sender = new SctpSender(config, rto(config), lowEvents::add);
        this.reference = new SctpSenderReference(config, rto(config), lowEventsReference::add);
        sender.start(initialTsn, peerRwnd, forwardTsn);
        reference.start(initialTsn, peerRwnd, forwardTsn);
        check("start");
    }

    private static SctpRto rto(SctpConfig c) {
        return new SctpRto(c.rtoInitial(), c.rtoMin(), c.rtoMax());
    }

    /** Room in an otherwise empty packet. */
    int fullRoom() {
        return config.mtu() - SctpCodec.COMMON_HEADER;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }

    void enqueue(int stream, int ppid, byte[] data, SctpSendOptions options) {
        sender.enqueue(stream, ppid, data, options, now);
        reference.enqueue(stream, ppid, data, options, now);
        check("enqueue");
    }

    /** One packet's worth of DATA; returns what the production sender added. */
    List<Data> fill(int room) {
        List<SctpChunk> a = new ArrayList<>();
        List<SctpChunk> b = new ArrayList<>();
        int usedA = sender.fill(now, a, room);
        int usedB = reference.fill(now, b, room);
        List<String> da = describe(a);
        List<String> db = describe(b);
        if (usedA != usedB || !da.equals(db)) {
            throw new AssertionError("step " + steps + " fill(" + room + ") differs: " + usedA + " " + da + " vs "
                    + usedB + " " + db + "\n  " + sender + "\n  " + reference);
        }
        check("fill");
        List<Data> out = new ArrayList<>(a.size());
        a.forEach(c -> out.add((Data) c));
        return out;
    }

    /** Fills up to Max.Burst packets, as an association's flush does; returns every DATA chunk sent. */
    List<Data> flush() {
        List<Data> all = new ArrayList<>();
        for (int p = 0; p < SctpAssociation.MAX_BURST; p++) {
            List<Data> d = fill(fullRoom());
            if (d.isEmpty()) {
                break;
            }
            all.addAll(d);
        }
        return all;
    }

    boolean sack(Sack s) {
        return sack(s, s);
    }

    /** The production sender gets {@code wire}, the reference {@code equivalent} (e.g. a sanitized copy). */
    boolean sack(Sack wire, Sack equivalent) {
        boolean a = sender.onSack(now, wire);
        boolean b = reference.onSack(now, equivalent);
        if (a != b) {
            throw new AssertionError("step " + steps + " onSack returned " + a + " vs " + b + " for " + wire);
        }
        check("sack " + wire);
        return a;
    }

    /** Fires T3-rtx on both when it is due; returns whether it fired. */
    boolean t3IfDue() {
        Instant d = sender.t3Deadline();
        if (d == null || d.isAfter(now)) {
            return false;
        }
        sender.onT3Expired(now);
        reference.onT3Expired(now);
        check("t3");
        return true;
    }

    ForwardTsn takeForwardTsn() {
        ForwardTsn a = sender.takeForwardTsn();
        ForwardTsn b = reference.takeForwardTsn();
        if (!Objects.equals(a, b)) {
            throw new AssertionError("step " + steps + " FORWARD-TSN differs: " + a + " vs " + b);
        }
        check("forward-tsn");
        return a;
    }

    private void check(String what) {
        steps++;
        String a = sender + " idle=" + sender.idle() + " work=" + sender.hasWork() + " low=" + lowEvents;
        String b = reference + " idle=" + reference.idle() + " work=" + reference.hasWork() + " low="
                + lowEventsReference;
        if (!a.equals(b)) {
            throw new AssertionError("step " + steps + " after " + what + " state differs:\n  " + a + "\n  " + b);
        }
    }

    static List<String> describe(List<SctpChunk> chunks) {
        List<String> out = new ArrayList<>(chunks.size());
        for (SctpChunk c : chunks) {
            Data d = (Data) c;
            out.add(Integer.toUnsignedString(d.tsn()) + "/" + d.streamId() + "/" + d.ssn() + "/" + d.ppid() + "/"
                    + (d.unordered() ? "U" : "") + (d.beginning() ? "B" : "") + (d.ending() ? "E" : "") + "/"
                    + d.payload().length + "/" + Arrays.hashCode(d.payload()));
        }
        return out;
    }
}
