package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelInit;
import io.rtc4j.peer.RtcDataChannelMessage;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcSessionDescription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The in-process rtc4j side when it offers and Chromium answers (the page serves the contract: echo on
 * {@code echo} and {@code neg}, "count sha256hex" on {@code sink}). rtc4j drives every step and reports each
 * as a check line.
 */
final class Rtc4jOfferer implements AutoCloseable {
    private final RtcPeerConnection pc;
    private final Consumer<String> check;
    private final RtcDataChannel echo;
    private final RtcDataChannel neg;
    private final RtcDataChannel sink;
    private final BlockingQueue<RtcDataChannelMessage> echoIn;
    private final BlockingQueue<RtcDataChannelMessage> negIn;
    private final BlockingQueue<RtcDataChannelMessage> sinkIn;
    private final CountDownLatch opened = new CountDownLatch(3);
    private final CountDownLatch echoClosed = new CountDownLatch(1);

    Rtc4jOfferer(RtcConfiguration config, Consumer<String> check) {
        this.pc = RtcPeerConnection.create(config);
        this.check = check;
        echo = pc.createDataChannel("echo");
        neg = pc.createDataChannel("neg", RtcDataChannelInit.negotiated(9));
        sink = pc.createDataChannel("sink");
        echoIn = InteropStream.inbox(echo);
        negIn = InteropStream.inbox(neg);
        sinkIn = InteropStream.inbox(sink);
        for (RtcDataChannel ch : List.of(echo, neg, sink)) {
            ch.onOpen(opened::countDown);
        }
        echo.onClose(echoClosed::countDown);
    }

    String offer() throws InterruptedException {
        pc.setLocalDescription(pc.createOffer());
        if (!pc.awaitIceGatheringComplete(Duration.ofSeconds(20))) {
            throw new IllegalStateException("rtc4j gathering did not complete");
        }
        return pc.localDescription().orElseThrow().sdp();
    }

    /** Everything after Chromium's answer; throws on the first failed step. */
    void run(String answerSdp, long mib, Waiter pageSaid) throws InterruptedException {
        long t0 = System.nanoTime();
        pc.setRemoteDescription(RtcSessionDescription.answer(answerSdp));
        if (!opened.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("channels did not open: " + pc.connectionState() + " " + pc.failureReason());
        }
        check.accept(String.format("ok rtc4j-offer opened echo neg sink connect_ms=%.1f pair=%s", (System.nanoTime() - t0) / 1e6,
                pc.getStats().selectedPair().map(p -> p.localType() + "-" + p.remoteType()).orElse("none")));
        long remoteMax = pc.maxMessageSize().orElseThrow();
        List<Object> cases = List.of("hello", "", "ünïcødé ✓ 😀", new byte[] {0, 1, 2, (byte) 255}, new byte[0],
                PeerEchoRun.payload(1, 1199, true), PeerEchoRun.payload(2, 16384, true), "x".repeat(5000),
                PeerEchoRun.payload(3, (int) remoteMax, true));
        for (var ch : List.of(echo, neg)) {
            BlockingQueue<RtcDataChannelMessage> in = ch == echo ? echoIn : negIn;
            for (Object c : cases) {
                echoOne(ch, in, c);
            }
            check.accept("ok rtc4j echo via chromium on " + ch.label() + " " + cases.size() + " messages, the last at max-size " + remoteMax);
        }
        long total = mib * InteropStream.MIB;
        long start = System.nanoTime();
        InteropStream.send(sink, total, 65536, start + TimeUnit.SECONDS.toNanos(300));
        sink.send("END");
        RtcDataChannelMessage reply = sinkIn.poll(300, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        String expected = total + " " + InteropStream.sha256Hex(total);
        if (reply == null || reply.binary() || !reply.text().equals(expected)) {
            throw new IllegalStateException("sink reply " + (reply == null ? "missing" : reply.text()) + ", expected " + expected);
        }
        check.accept(String.format("ok rtc4j->chromium %d MiB sha256 matches secs=%.3f mbps=%.2f", mib, secs, total / 1e6 / secs));
        neg.close();
        if (!pageSaid.await("ok chromium saw neg closed", Duration.ofSeconds(20))) {
            throw new IllegalStateException("chromium did not see rtc4j close neg");
        }
        check.accept("ok rtc4j-initiated close seen by chromium");
        echo.send("close-yourself");
        if (!echoClosed.await(20, TimeUnit.SECONDS)) {
            throw new IllegalStateException("rtc4j did not see chromium close echo");
        }
        check.accept("ok chromium-initiated close seen by rtc4j");
    }

    private static void echoOne(RtcDataChannel ch, BlockingQueue<RtcDataChannelMessage> in, Object c) throws InterruptedException {
        boolean binary = c instanceof byte[];
        byte[] sent = binary ? (byte[]) c : ((String) c).getBytes(StandardCharsets.UTF_8);
        if (binary) {
            ch.send(sent);
        } else {
            ch.send((String) c);
        }
        RtcDataChannelMessage m = in.poll(60, TimeUnit.SECONDS);
        if (m == null || m.binary() != binary || !Arrays.equals(m.data(), sent)) {
            throw new IllegalStateException(ch.label() + ": echo of " + (binary ? "binary" : "text") + " " + sent.length + " bytes came back as "
                    + (m == null ? "nothing" : m));
        }
    }

    /** Waits until the page reported a given check line. */
    interface Waiter {
        boolean await(String line, Duration timeout) throws InterruptedException;
    }

    @Override
    public void close() {
        pc.close();
    }
}
