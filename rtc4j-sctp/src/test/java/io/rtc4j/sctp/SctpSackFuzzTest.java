package io.rtc4j.sctp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Jazzer target for SACK processing: arbitrary SACK chunks (cumulative acks around and far from the real one, any
 * number of gap blocks with any u16 offsets, any window) reach (1) an established association with data
 * outstanding, through the wire, which must never throw and must keep ending its output with a Timeout, and (2) the
 * sender in lockstep with the O(window) reference sender, which gets the sanitized equivalent and must behave
 * identically. The decoder target cannot get here: it has no established association. Runs its seeds as a
 * regression test; JAZZER_FUZZ=1 fuzzes (the module's fuzz.test.3).
 */
class SctpSackFuzzTest {
    private static final SctpConfig CONFIG = SctpConfig.builder().build();

    @FuzzTest(maxDuration = "30s")
    void sacks(FuzzedDataProvider in) {
        SctpAssociation[] ab = established();
        SctpAssociation a = ab[0];
        SctpAssociation b = ab[1];
        long cum0 = b.receiver.cumTsn();
        SctpSenderLockstep l = new SctpSenderLockstep(CONFIG, 1, 1 << 24, true);
        long lcum0 = SctpSenderSackCostTest.load(l, 200);
        Instant now = Instant.EPOCH;
        for (int i = 0; i < 40 && in.remainingBytes() > 0; i++) {
            boolean far = in.consumeInt(0, 15) == 0;
            int cumOffset = far ? in.consumeInt() : in.consumeInt(-3, 400);
            long aRwnd = in.consumeBoolean() ? 1 << 24 : in.consumeLong(0, 0xFFFF_FFFFL);
            int n = in.consumeInt(0, 40);
            List<GapBlock> gaps = new ArrayList<>(n);
            for (int g = 0; g < n; g++) {
                int start = in.consumeInt(0, in.consumeBoolean() ? 0xFFFF : 600);
                int end = in.consumeBoolean() ? start + in.consumeInt(0, 30) : in.consumeInt(0, 0xFFFF);
                gaps.add(new GapBlock(start, Math.min(end, 0xFFFF)));
            }
            List<Integer> dups = in.consumeBoolean() ? List.of(in.consumeInt()) : List.of();
            Sack wire = new Sack((int) (cum0 + cumOffset), aRwnd, gaps, dups);
            a.handleInput(now, SctpCodec.encode(new SctpPacket(CONFIG.remotePort(), CONFIG.localPort(), b.peerTag,
                    List.of(wire)), false));
            drain(a);
            l.sack(new Sack((int) (lcum0 + cumOffset), aRwnd, gaps, dups),
                    new Sack((int) (lcum0 + cumOffset), aRwnd, SctpSenderSackCostTest.normalized(gaps), dups));
            l.flush();
            l.takeForwardTsn();
            if (in.consumeBoolean()) {
                Duration d = Duration.ofMillis(in.consumeInt(0, 5_000));
                now = now.plus(d);
                a.handleTimeout(now);
                drain(a);
                l.advance(d);
                l.t3IfDue();
            }
        }
    }

    /** A pair that completed the handshake in memory, then grew a's window and lost its last flight. */
    static SctpAssociation[] established() {
        SctpAssociation a = new SctpAssociation(CONFIG, new SplittableRandom(1));
        SctpAssociation b = new SctpAssociation(CONFIG, new SplittableRandom(2));
        Instant now = Instant.EPOCH;
        a.connect(now);
        byte[] message = new byte[16 * 1024];
        for (int round = 0; round < 40; round++) {
            if (a.state() == SctpAssociation.State.ESTABLISHED) {
                while (a.bufferedAmount(0) < 128 * 1024) {
                    a.send(now, 0, 51, message, SctpSendOptions.RELIABLE_ORDERED);
                }
            }
            shuttle(a, b, now, round < 32);
            shuttle(b, a, now, true);
        }
        if (b.state() != SctpAssociation.State.ESTABLISHED || a.localNextTsn() - 1 <= b.receiver.cumTsn()) {
            throw new AssertionError("setup failed: " + a.state() + " " + b.state());
        }
        return new SctpAssociation[] {a, b};
    }

    private static void shuttle(SctpAssociation from, SctpAssociation to, Instant now, boolean deliver) {
        for (int i = 0; i < 10_000; i++) {
            SctpOutput o = from.pollOutput();
            if (o instanceof SctpOutput.Timeout) {
                return;
            }
            if (deliver && o instanceof SctpOutput.Transmit t) {
                to.handleInput(now, t.packet());
            }
        }
        throw new AssertionError("output never ended");
    }

    private static void drain(SctpAssociation a) {
        for (int i = 0; i < 100_000; i++) {
            if (a.pollOutput() instanceof SctpOutput.Timeout) {
                return;
            }
        }
        throw new AssertionError("output never ended");
    }
}
