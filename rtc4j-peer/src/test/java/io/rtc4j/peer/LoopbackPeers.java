package io.rtc4j.peer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Two rtc4j peers on 127.0.0.1 and the signaling between them: one thread that delivers descriptions and
 * candidates in order (handlers only post to it, so no connection's thread ever waits for the other's).
 */
final class LoopbackPeers implements AutoCloseable {
    final RtcPeerConnection a;
    final RtcPeerConnection b;
    private final ExecutorService signaling = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-signaling"));
    final List<Throwable> signalingErrors = new java.util.concurrent.CopyOnWriteArrayList<>();

    LoopbackPeers() {
        this(config().build(), config().build());
    }

    LoopbackPeers(RtcConfiguration ca, RtcConfiguration cb) {
        a = RtcPeerConnection.create(ca);
        b = RtcPeerConnection.create(cb);
    }

    static RtcConfiguration.Builder config() {
        try {
            return RtcConfiguration.builder().bindAddress(InetAddress.getByName("127.0.0.1")).ipv6(false);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    void post(Runnable r) {
        signaling.execute(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                signalingErrors.add(t);
            }
        });
    }

    /** A offers, B answers, candidates trickle both ways (RFC 8838). */
    void connectTrickle() {
        a.onIceCandidate(c -> post(() -> b.addIceCandidate(c)));
        b.onIceCandidate(c -> post(() -> a.addIceCandidate(c)));
        RtcSessionDescription offer = a.createOffer();
        post(() -> {
            a.setLocalDescription(offer);
            b.setRemoteDescription(offer);
            RtcSessionDescription answer = b.createAnswer();
            b.setLocalDescription(answer);
            a.setRemoteDescription(answer);
        });
    }

    /** Without trickle: each side sends its description only once gathering completed, all candidates inside. */
    void connectWholeDescriptions() throws InterruptedException {
        a.setLocalDescription(a.createOffer());
        await("A gathered", Duration.ofSeconds(10), () -> a.iceGatheringState() == RtcIceGatheringState.COMPLETE);
        RtcSessionDescription offer = a.localDescription().orElseThrow();
        b.setRemoteDescription(offer);
        b.setLocalDescription(b.createAnswer());
        await("B gathered", Duration.ofSeconds(10), () -> b.iceGatheringState() == RtcIceGatheringState.COMPLETE);
        a.setRemoteDescription(b.localDescription().orElseThrow());
    }

    void awaitConnected() {
        await("both connected", Duration.ofSeconds(20), () -> a.connectionState() == RtcPeerConnectionState.CONNECTED
                && b.connectionState() == RtcPeerConnectionState.CONNECTED);
    }

    static void await(String what, Duration bound, BooleanSupplier condition) {
        long end = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + bound + ": " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        List<RuntimeException> errors = new ArrayList<>();
        for (RtcPeerConnection pc : List.of(a, b)) {
            try {
                pc.close();
            } catch (RuntimeException e) {
                errors.add(e);
            }
        }
        signaling.shutdownNow();
        try {
            signaling.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!errors.isEmpty()) {
            throw errors.getFirst();
        }
    }
}
