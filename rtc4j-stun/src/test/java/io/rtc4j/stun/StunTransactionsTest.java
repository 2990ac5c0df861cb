package io.rtc4j.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rtc4j.testkit.SimClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 8489 §6.2.1/§6.2.2 client transactions on a virtual clock: the exact schedule, matching, counting. */
class StunTransactionsTest {
    private final SimClock clock = new SimClock();
    private final SplittableRandom random = new SplittableRandom(7);

    /** What came out, as "at-ms kind", times relative to the clock's origin. */
    private final List<String> trace = new ArrayList<>();
    private Instant deadline = Instant.MAX;

    private long ms() {
        return Duration.between(SimClock.EPOCH, clock.now()).toMillis();
    }

    private void drain(StunTransactions t) {
        for (int i = 0; i < 1000; i++) {
            switch (t.pollOutput()) {
                case StunTransactionOutput.Transmit x -> trace.add(ms() + " transmit " + x.id());
                case StunTransactionOutput.ResponseReceived r -> trace.add(ms() + " response " + r.response().transactionId());
                case StunTransactionOutput.TimedOut x -> trace.add(ms() + " timeout " + x.id());
                case StunTransactionOutput.Timeout x -> {
                    deadline = x.at();
                    return;
                }
            }
        }
        throw new AssertionError("pollOutput never returned Timeout");
    }

    /** Runs the table's timers up to {@code untilMs}, as a driver would. */
    private void runUntil(StunTransactions t, long untilMs) {
        Instant target = SimClock.EPOCH.plusMillis(untilMs);
        while (!deadline.isAfter(target)) {
            clock.advanceTo(deadline);
            t.handleTimeout(clock.now());
            drain(t);
        }
        clock.advanceTo(target);
    }

    private byte[] request(StunMethod method) {
        StunMessage m = StunMessage.builder(new MessageType(method, StunClass.REQUEST), TransactionId.random(random)).build();
        return StunCodec.encode(m, StunProtection.FINGERPRINT);
    }

    private static StunMessage response(TransactionId id, StunMethod method, StunClass c) {
        return StunMessage.builder(new MessageType(method, c), id)
                .add(new XorMappedAddress(new InetSocketAddress("192.0.2.1", 1234)))
                .build();
    }

    private List<Long> times(String kind) {
        return trace.stream().filter(s -> s.contains(" " + kind + " ")).map(s -> Long.parseLong(s.split(" ")[0])).toList();
    }

    @Test
    void udpScheduleIsTheRfcExample() {
        StunTransactions t = new StunTransactions();
        TransactionId id = t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        runUntil(t, 60_000);
        // RFC 8489 §6.2.1: sent at 0, 500, 1500, 3500, 7500, 15500, 31500 ms; failed at 39500 ms
        assertThat(times("transmit")).containsExactly(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L);
        assertThat(trace).last().isEqualTo("39500 timeout " + id);
        assertThat(deadline).isEqualTo(Instant.MAX);
        assertThat(t.transmissions()).isEqualTo(7);
        assertThat(t.retransmissions()).isEqualTo(6);
        assertThat(t.timeouts()).isEqualTo(1);
        assertThat(t.outstandingCount()).isZero();
        assertThat(StunRetransmission.udp().timeout()).isEqualTo(Duration.ofMillis(39_500));
    }

    @Test
    void configurableRtoScalesTheSchedule() {
        StunTransactions t = new StunTransactions(StunRetransmission.udp(Duration.ofMillis(100)));
        t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        runUntil(t, 60_000);
        assertThat(times("transmit")).containsExactly(0L, 100L, 300L, 700L, 1500L, 3100L, 6300L);
        assertThat(times("timeout")).containsExactly(7900L);
    }

    @Test
    void reliableTransportSendsOnceAndWaitsTi() {
        StunTransactions t = new StunTransactions(StunRetransmission.reliable());
        t.start(clock.now(), request(StunMethod.ALLOCATE));
        drain(t);
        runUntil(t, 60_000);
        assertThat(times("transmit")).containsExactly(0L);
        assertThat(times("timeout")).containsExactly(39_500L);
    }

    @Test
    void responseStopsRetransmission() {
        StunTransactions t = new StunTransactions();
        TransactionId id = t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        runUntil(t, 700); // transmissions at 0 and 500
        assertThat(t.handleResponse(clock.now(), response(id, StunMethod.BINDING, StunClass.SUCCESS_RESPONSE))).isTrue();
        drain(t);
        assertThat(trace).last().isEqualTo("700 response " + id);
        assertThat(deadline).isEqualTo(Instant.MAX);
        runUntil(t, 60_000);
        assertThat(times("transmit")).containsExactly(0L, 500L);
        assertThat(times("timeout")).isEmpty();
    }

    @Test
    void errorResponseAlsoEndsTheTransaction() {
        StunTransactions t = new StunTransactions();
        TransactionId id = t.start(clock.now(), request(StunMethod.ALLOCATE));
        drain(t);
        StunMessage error = StunMessage.builder(new MessageType(StunMethod.ALLOCATE, StunClass.ERROR_RESPONSE), id)
                .add(ErrorCode.of(ErrorCode.UNAUTHENTICATED))
                .build();
        assertThat(t.handleResponse(clock.now(), error)).isTrue();
        drain(t);
        assertThat(trace).containsExactly("0 transmit " + id, "0 response " + id);
    }

    @Test
    void duplicateAndUnmatchedResponsesAreIgnoredAndCounted() {
        StunTransactions t = new StunTransactions();
        TransactionId id = t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        StunMessage ok = response(id, StunMethod.BINDING, StunClass.SUCCESS_RESPONSE);
        assertThat(t.handleResponse(clock.now(), ok)).isTrue();
        assertThat(t.handleResponse(clock.now(), ok)).isFalse(); // the same answer twice
        assertThat(t.handleResponse(clock.now(), response(TransactionId.random(random), StunMethod.BINDING,
                StunClass.SUCCESS_RESPONSE))).isFalse();
        drain(t);
        assertThat(times("response")).hasSize(1);
        assertThat(t.duplicateResponses()).isEqualTo(1);
        assertThat(t.unmatchedResponses()).isEqualTo(1);
    }

    @Test
    void wrongMethodOrClassDoesNotMatch() {
        StunTransactions t = new StunTransactions();
        TransactionId id = t.start(clock.now(), request(StunMethod.REFRESH));
        drain(t);
        assertThat(t.handleResponse(clock.now(), response(id, StunMethod.ALLOCATE, StunClass.SUCCESS_RESPONSE))).isFalse();
        assertThat(t.handleResponse(clock.now(), response(id, StunMethod.REFRESH, StunClass.REQUEST))).isFalse();
        assertThat(t.handleResponse(clock.now(), response(id, StunMethod.REFRESH, StunClass.INDICATION))).isFalse();
        assertThat(t.unmatchedResponses()).isEqualTo(3);
        assertThat(t.isOutstanding(id)).isTrue();
        assertThat(t.handleResponse(clock.now(), response(id, StunMethod.REFRESH, StunClass.SUCCESS_RESPONSE))).isTrue();
    }

    @Test
    void lateResponseAfterTimeoutCountsAsDuplicate() {
        StunTransactions t = new StunTransactions();
        TransactionId id = t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        runUntil(t, 40_000);
        assertThat(t.handleResponse(clock.now(), response(id, StunMethod.BINDING, StunClass.SUCCESS_RESPONSE))).isFalse();
        assertThat(t.duplicateResponses()).isEqualTo(1);
        drain(t);
        assertThat(times("response")).isEmpty();
    }

    @Test
    void transactionsRunIndependently() {
        StunTransactions t = new StunTransactions();
        TransactionId a = t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        runUntil(t, 250);
        TransactionId b = t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        runUntil(t, 1000); // a at 0, 500; b at 250, 750
        assertThat(t.cancel(clock.now(), a)).isTrue();
        assertThat(t.cancel(clock.now(), a)).isFalse();
        runUntil(t, 2000); // b at 1750
        assertThat(trace).containsExactly(
                "0 transmit " + a, "250 transmit " + b, "500 transmit " + a, "750 transmit " + b, "1750 transmit " + b);
    }

    @Test
    void lateTimerDoesNotShiftTheSchedule() {
        StunTransactions t = new StunTransactions();
        t.start(clock.now(), request(StunMethod.BINDING));
        drain(t);
        clock.advance(Duration.ofMillis(800)); // the driver woke 300 ms late
        t.handleTimeout(clock.now());
        drain(t);
        assertThat(deadline).isEqualTo(SimClock.EPOCH.plusMillis(1500));
    }

    @Test
    void misuseThrows() {
        StunTransactions t = new StunTransactions();
        byte[] req = request(StunMethod.BINDING);
        t.start(clock.now(), req);
        assertThatThrownBy(() -> t.start(clock.now(), req)).isInstanceOf(IllegalArgumentException.class);
        byte[] indication = StunCodec.encode(StunMessage.builder(
                new MessageType(StunMethod.SEND, StunClass.INDICATION), TransactionId.random(random)).build(),
                StunProtection.NONE);
        assertThatThrownBy(() -> t.start(clock.now(), indication)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.start(clock.now(), new byte[] {1, 2, 3})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StunRetransmission.Unreliable(Duration.ZERO, 7, 16))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
