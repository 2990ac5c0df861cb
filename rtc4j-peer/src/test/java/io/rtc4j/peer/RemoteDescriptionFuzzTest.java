package io.rtc4j.peer;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtc4j.dtls.DtlsFingerprint;
import io.rtc4j.sdp.SignalingState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Jazzer target for the engine's entry points for remote text: setRemoteDescription (offer and answer) and
 * addIceCandidate. Bad input raises IllegalArgumentException (or IllegalStateException for the state) and
 * leaves the signaling state unchanged; an accepted offer can always be answered. Runs its seeds (captured
 * browser offers) as a regression test; JAZZER_FUZZ=1 fuzzes.
 */
class RemoteDescriptionFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    @FuzzTest(maxDuration = "30s")
    void setRemote(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        List<PeerOutput> out = new ArrayList<>();
        PeerSignaling s = new PeerSignaling(new SplittableRandom(1), DtlsFingerprint.of("sha-256", new byte[] {9}), out::add,
                (now, remote, setup) -> {});
        try {
            s.setRemote(NOW, RtcSessionDescription.offer(text));
        } catch (IllegalArgumentException expected) {
            if (s.state() != SignalingState.STABLE) {
                throw new AssertionError("a rejected offer changed the state to " + s.state());
            }
            return;
        }
        String answer = s.createAnswer();
        s.setLocal(NOW, RtcSessionDescription.answer(answer));
        for (String line : text.split("\r?\n", 64)) {
            try {
                s.addRemoteCandidate(new RtcIceCandidate(line.startsWith("a=") ? line.substring(2) : line, null, null));
            } catch (IllegalArgumentException expected) {
                // not a candidate
            }
        }
        // the same text as an answer to our own offer
        PeerSignaling o = new PeerSignaling(new SplittableRandom(2), DtlsFingerprint.of("sha-256", new byte[] {9}), out::add,
                (now, remote, setup) -> {});
        o.setLocal(NOW, RtcSessionDescription.offer(o.createOffer()));
        try {
            o.setRemote(NOW, RtcSessionDescription.answer(text));
        } catch (IllegalArgumentException expected) {
            if (o.state() != SignalingState.HAVE_LOCAL_OFFER) {
                throw new AssertionError("a rejected answer changed the state to " + o.state());
            }
        }
    }
}
