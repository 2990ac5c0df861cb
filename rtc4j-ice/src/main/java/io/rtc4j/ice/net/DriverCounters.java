package io.rtc4j.ice.net;

import java.util.concurrent.atomic.LongAdder;

/** The counters behind {@link IceDriverStats}; written from the loop and from senders' threads. */
final class DriverCounters {
    final LongAdder received = new LongAdder();
    final LongAdder sent = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder oversize = new LongAdder();
    final LongAdder byAgent = new LongAdder();
    final LongAdder unrouted = new LongAdder();
    final LongAdder application = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder listenerErrors = new LongAdder();

    IceDriverStats snapshot(int sourceTableSize) {
        return new IceDriverStats(received.sum(), sent.sum(), malformed.sum(), oversize.sum(), byAgent.sum(),
                unrouted.sum(), application.sum(), sendFailures.sum(), listenerErrors.sum(), sourceTableSize);
    }
}
