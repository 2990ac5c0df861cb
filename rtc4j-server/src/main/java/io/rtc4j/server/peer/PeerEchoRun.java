package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** Echo mode: N messages one at a time, even ones text, odd ones binary; each echo checked for content and kind. */
final class PeerEchoRun {
    /** The size cycle, each capped at the remote max-message-size. */
    static final int[] SIZES = {16, 1, 1000, 1199, 1201, 16384, 5000, 60000, 3, 65536};

    private final RtcDataChannel ch;
    private final int count;
    private final long remoteMax;
    private final long deadline;
    private final BlockingQueue<RtcDataChannelMessage> received = new ArrayBlockingQueue<>(16);

    PeerEchoRun(RtcDataChannel ch, int count, long remoteMax, long deadline) {
        this.ch = ch;
        this.count = count;
        this.remoteMax = remoteMax;
        this.deadline = deadline;
        ch.onMessage(received::offer); // one in flight at a time, so the queue never fills
    }

    void run(PeerOfferCommand.PeerResult r) throws InterruptedException {
        r.messages = 0;
        for (int i = 0; i < count; i++) {
            int size = (int) Math.min(SIZES[i % SIZES.length], remoteMax);
            boolean binary = i % 2 == 1;
            byte[] payload = payload(i, size, binary);
            if (binary) {
                ch.send(payload);
            } else {
                ch.send(new String(payload, StandardCharsets.US_ASCII));
            }
            RtcDataChannelMessage m = received.poll(PeerOfferCommand.remaining(deadline).toMillis(), TimeUnit.MILLISECONDS);
            if (m == null) {
                r.fail("no echo of message " + i + " (" + size + " bytes) before the timeout");
                return;
            }
            if (m.binary() != binary) {
                r.fail("message " + i + " came back " + (m.binary() ? "binary" : "text") + ", sent " + (binary ? "binary" : "text"));
                return;
            }
            if (!Arrays.equals(m.data(), payload)) {
                r.fail("message " + i + " came back different: " + m.data().length + " bytes, sent " + size);
                return;
            }
            r.messages++;
        }
    }

    /** Deterministic content that differs per message: printable ASCII for text, every byte value for binary. */
    static byte[] payload(int index, int size, boolean binary) {
        byte[] b = new byte[size];
        for (int k = 0; k < size; k++) {
            int v = (k * 31 + index * 17) & 0xFF;
            b[k] = binary ? (byte) v : (byte) (' ' + v % 95);
        }
        return b;
    }
}
