package io.rtc4j.server.peer;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcDataChannelInit;
import io.rtc4j.peer.RtcPeerConnection;
import io.rtc4j.peer.RtcSessionDescription;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * The in-process rtc4j side when Chromium offers: answers after gathering (non-trickle), creates the
 * pre-negotiated channel {@code neg} (id 9), echoes on {@code echo} and {@code neg}, answers {@code END} on
 * {@code sha} with "count sha256hex" of the binary bytes, closes {@code closeme} when asked, and reports every
 * channel close it sees.
 */
final class Rtc4jAnswerer implements AutoCloseable {
    private final RtcConfiguration config;
    private final Consumer<String> check;
    private volatile RtcPeerConnection pc;

    Rtc4jAnswerer(RtcConfiguration config, Consumer<String> check) {
        this.config = config;
        this.check = check;
    }

    String answer(String offerSdp) throws InterruptedException {
        RtcPeerConnection p = RtcPeerConnection.create(config);
        pc = p;
        attach(p.createDataChannel("neg", RtcDataChannelInit.negotiated(9)));
        p.onDataChannel(this::attach);
        p.setRemoteDescription(RtcSessionDescription.offer(offerSdp));
        p.setLocalDescription(p.createAnswer());
        if (!p.awaitIceGatheringComplete(Duration.ofSeconds(20))) {
            throw new IllegalStateException("rtc4j gathering did not complete");
        }
        return p.localDescription().orElseThrow().sdp();
    }

    /** The selected pair as localType-remoteType, from rtc4j's getStats. */
    String pair() {
        RtcPeerConnection p = pc;
        return p == null ? "none" : p.getStats().selectedPair().map(s -> s.localType() + "-" + s.remoteType() + " remote=" + s.remoteAddress()).orElse("none");
    }

    private void attach(RtcDataChannel ch) {
        ch.onClose(() -> check.accept("ok rtc4j saw " + ch.label() + " closed"));
        switch (ch.label()) {
            case "sha" -> {
                MessageDigest[] md = {InteropStream.sha256()};
                long[] n = {0};
                ch.onMessage(m -> {
                    if (m.binary()) {
                        md[0].update(m.data());
                        n[0] += m.data().length;
                    } else if (m.text().equals("END")) {
                        ch.send(n[0] + " " + HexFormat.of().formatHex(md[0].digest()));
                        md[0] = InteropStream.sha256();
                        n[0] = 0;
                    }
                });
            }
            case "closeme" -> ch.onMessage(m -> {
                if (!m.binary() && m.text().equals("close please")) {
                    ch.close();
                }
            });
            default -> ch.onMessage(m -> {
                if (m.binary()) {
                    ch.send(m.data());
                } else {
                    ch.send(m.text());
                }
            });
        }
    }

    @Override
    public void close() {
        RtcPeerConnection p = pc;
        if (p != null) {
            p.close();
        }
    }
}
