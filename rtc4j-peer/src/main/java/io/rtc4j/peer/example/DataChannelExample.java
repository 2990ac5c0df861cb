package io.rtc4j.peer.example;

import io.rtc4j.peer.RtcConfiguration;
import io.rtc4j.peer.RtcDataChannel;
import io.rtc4j.peer.RtcPeerConnection;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Two peers in one process on 127.0.0.1: Alice offers a data channel, Bob answers and echoes, Alice prints the
 * echo. The descriptions go across whole (no trickle): each side waits for ICE gathering, then hands over
 * {@code localDescription()}, which holds every candidate. Run: {@code java io.rtc4j.peer.example.DataChannelExample}.
 */
public final class DataChannelExample {
    private DataChannelExample() {}

    public static void main(String[] args) throws Exception {
        RtcConfiguration config = RtcConfiguration.builder().bindAddress(InetAddress.getByName("127.0.0.1")).build();
        try (RtcPeerConnection alice = RtcPeerConnection.create(config);
                RtcPeerConnection bob = RtcPeerConnection.create(config)) {
            // Bob echoes every message on every channel Alice opens (handlers run on Bob's connection thread)
            bob.onDataChannel(ch -> ch.onMessage(m -> {
                if (m.binary()) ch.send(m.data()); else ch.send("echo: " + m.text());
            }));

            CountDownLatch echoed = new CountDownLatch(1);
            RtcDataChannel chat = alice.createDataChannel("chat");
            chat.onOpen(() -> chat.send("hello from Alice"));
            chat.onMessage(m -> {
                System.out.println("Alice got: " + m.text());
                echoed.countDown();
            });

            alice.setLocalDescription(alice.createOffer());
            alice.awaitIceGatheringComplete(Duration.ofSeconds(10));
            bob.setRemoteDescription(alice.localDescription().orElseThrow()); // to Bob over your signaling
            bob.setLocalDescription(bob.createAnswer());
            bob.awaitIceGatheringComplete(Duration.ofSeconds(10));
            alice.setRemoteDescription(bob.localDescription().orElseThrow()); // back to Alice

            if (!echoed.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no echo: " + alice.connectionState() + " " + alice.failureReason());
            }
            System.out.println(alice.getStats().channel("chat").orElseThrow());
        }
    }
}
