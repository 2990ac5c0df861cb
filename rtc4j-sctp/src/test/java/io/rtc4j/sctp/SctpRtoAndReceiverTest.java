package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.sctp.SctpChunk.Data;
import io.rtc4j.sctp.SctpChunk.GapBlock;
import io.rtc4j.sctp.SctpChunk.Sack;
import io.rtc4j.sctp.SctpEvent.MessageReceived;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 9260 §6.3.1 RTO arithmetic and §6.2 SACK contents, checked on the units directly. */
class SctpRtoAndReceiverTest {

    @Test
    void rtoFollowsRfc9260Section631() {
        SctpRto rto = new SctpRto(Duration.ofSeconds(3), Duration.ofMillis(100), Duration.ofSeconds(60));
        assertThat(rto.rto()).isEqualTo(Duration.ofSeconds(3));
        rto.measured(Duration.ofMillis(200).toNanos()); // C2: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4*RTTVAR
        assertThat(rto.srttNanos()).isEqualTo(Duration.ofMillis(200).toNanos());
        assertThat(rto.rto()).isEqualTo(Duration.ofMillis(600));
        rto.measured(Duration.ofMillis(100).toNanos()); // C3: RTTVAR = 3/4*100 + 1/4*100 = 100; SRTT = 187.5
        assertThat(rto.srttNanos()).isEqualTo(187_500_000L);
        assertThat(rto.rto()).isEqualTo(Duration.ofNanos(587_500_000L));
        rto.backOff();
        assertThat(rto.rto()).isEqualTo(Duration.ofNanos(1_175_000_000L));
        for (int i = 0; i < 10; i++) {
            rto.backOff();
        }
        assertThat(rto.rto()).isEqualTo(Duration.ofSeconds(60)); // RTO.Max
        for (int i = 0; i < 50; i++) {
            rto.measured(1_000_000L);
        }
        assertThat(rto.rto()).isEqualTo(Duration.ofMillis(100)); // RTO.Min
    }

    private static Data data(int tsn, boolean b, boolean e, int ssn, byte[] payload) {
        return new Data(false, b, e, false, tsn, 1, ssn, 53, payload);
    }

    @Test
    void sackReportsGapsAndDuplicatesAndReassemblyWaitsForOrder() {
        List<MessageReceived> got = new ArrayList<>();
        SctpReceiver r = new SctpReceiver(100, 1 << 20, 1 << 16, 1200, got::add);
        // message 0: TSNs 100-101 (two fragments); message 1: TSN 102; message 2: TSN 104 (103 lost)
        assertThat(r.onData(data(101, false, true, 0, new byte[] {2}), true)).isEqualTo(SctpReceiver.Result.NEW);
        assertThat(r.onData(data(102, true, true, 1, new byte[] {3}), true)).isEqualTo(SctpReceiver.Result.NEW);
        assertThat(r.onData(data(104, true, true, 3, new byte[] {5}), true)).isEqualTo(SctpReceiver.Result.NEW);
        assertThat(got).as("nothing before the first fragment of SSN 0").isEmpty();
        Sack s = r.sack();
        assertThat(s.cumulativeTsnAck()).isEqualTo(99);
        assertThat(s.gapBlocks()).containsExactly(new GapBlock(2, 3), new GapBlock(5, 5));
        assertThat(r.onData(data(100, true, false, 0, new byte[] {1}), true)).isEqualTo(SctpReceiver.Result.NEW);
        assertThat(got).hasSize(2);
        assertThat(got.get(0).data()).containsExactly(1, 2);
        assertThat(got.get(1).data()).containsExactly(3);
        assertThat(r.onData(data(101, false, true, 0, new byte[] {2}), true)).isEqualTo(SctpReceiver.Result.DUPLICATE);
        s = r.sack();
        assertThat(s.cumulativeTsnAck()).isEqualTo(102);
        assertThat(s.gapBlocks()).containsExactly(new GapBlock(2, 2));
        assertThat(s.duplicateTsns()).containsExactly(101);
        assertThat(r.sack().duplicateTsns()).as("reported once").isEmpty();
        // FORWARD-TSN past the lost 103 (SSN 2) releases SSN 3.
        r.onForwardTsn(103, List.of(new SctpChunk.SkippedStream(1, 2)));
        assertThat(got).hasSize(3);
        assertThat(r.sack().cumulativeTsnAck()).isEqualTo(104);
        assertThat(r.window()).isEqualTo(1 << 20);
    }

    @Test
    void dataBeyondTheWindowIsDroppedUnacknowledged() {
        SctpReceiver r = new SctpReceiver(1, 4096, 4096, 1200, m -> {});
        assertThat(r.onData(data(3, true, false, 0, new byte[3000]), true)).isEqualTo(SctpReceiver.Result.NEW);
        assertThat(r.onData(data(5, true, false, 1, new byte[3000]), true)).isEqualTo(SctpReceiver.Result.NO_ROOM);
        assertThat(r.sack().gapBlocks()).containsExactly(new GapBlock(3, 3));
        assertThat(r.window()).isEqualTo(4096 - 3000);
    }
}
