package io.rtc4j.turn;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunIntegrity;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.turn.client.TurnClientState;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Jazzer target for the TURN client's server-facing entry point: arbitrary bytes as server input must never
 * make it throw. Each run allocates two clients against in-memory servers (UDP with a permission and a
 * channel to PEER, TCP with a permission), then plays the input as a script:
 *
 * <pre>
 *   op (1 byte) | length (2 bytes, big-endian) | payload (length bytes; the rest if fewer remain) ...
 *   op & 7: 0 payload as a datagram from the server to the UDP client
 *           1 payload as a chunk of the TCP stream from the server
 *           2 payload as a response to the UDP client's last request (its cookie and transaction id patched in)
 *           3 a response signed with the UDP client's key: payload[0] bit 0 picks success or error,
 *             payload[1..] are raw attributes (so the fuzzer reaches the authenticated response handlers)
 *           4 advance the virtual clock by (op >>> 3) * 10 seconds, running both sides' timers
 *           5 an application call on the UDP client (payload[0] % 5: send, bind channel, permission,
 *             remove permission, release)
 *           6 payload as a datagram from PEER to the UDP client's relay
 *           7 like 3, for the TCP client
 * </pre>
 *
 * The link's own checks (deadlines move forward, every output drains) hold throughout. Runs its seed corpus
 * as a regression test; JAZZER_FUZZ=1 fuzzes.
 */
class TurnClientFuzzTest {
    static final InetSocketAddress PEER = EngineHarness.sock("198.51.100.1", 5000);
    static final InetSocketAddress PEER2 = EngineHarness.sock("203.0.113.7", 6000);
    static final byte[] KEY = StunIntegrity.longTermKey(EngineHarness.USER, EngineHarness.REALM, EngineHarness.PASSWORD);

    @FuzzTest(maxDuration = "30s")
    void serverInput(byte[] input) {
        ClientServerLink udp = ClientServerLink.udp(EngineHarness.create());
        udp.allocate();
        udp.client.createPermission(udp.now(), PEER.getAddress());
        udp.client.bindChannel(udp.now(), PEER);
        udp.settle();
        udp.echo = true;
        ClientServerLink tcp = ClientServerLink.tcp(EngineHarness.create());
        tcp.allocate();
        tcp.client.createPermission(tcp.now(), PEER.getAddress());
        tcp.settle();

        ByteBuffer script = ByteBuffer.wrap(input);
        while (script.hasRemaining()) {
            int op = script.get() & 0xFF;
            int length = script.remaining() >= 2 ? script.getShort() & 0xFFFF : 0;
            byte[] payload = new byte[Math.min(length, script.remaining())];
            script.get(payload);
            switch (op & 7) {
                case 0 -> udp.fromServer(payload);
                case 1 -> tcp.fromServer(payload);
                case 2 -> udp.fromServer(patched(udp.lastRequest(), payload));
                case 3 -> udp.fromServer(signed(udp.lastRequest(), payload));
                case 4 -> {
                    udp.advance(Duration.ofSeconds((op >>> 3) * 10L));
                    tcp.advance(Duration.ofSeconds((op >>> 3) * 10L));
                }
                case 5 -> call(udp, payload);
                case 6 -> {
                    if (!udp.h.relays.live().isEmpty()) {
                        udp.peerSends(PEER, payload);
                    }
                }
                default -> tcp.fromServer(signed(tcp.lastRequest(), payload));
            }
        }
    }

    private static void call(ClientServerLink link, byte[] payload) {
        if (link.client.state() != TurnClientState.ALLOCATED || payload.length == 0) {
            return; // calls without an allocation are API misuse and throw by design
        }
        byte[] rest = Arrays.copyOfRange(payload, 1, Math.min(payload.length, 1201)); // fits any framing
        switch ((payload[0] & 0xFF) % 5) {
            case 0 -> link.client.send(link.now(), (payload[0] & 8) == 0 ? PEER : PEER2, ByteBuffer.wrap(rest));
            case 1 -> link.client.bindChannel(link.now(), PEER2);
            case 2 -> link.client.createPermission(link.now(), PEER2.getAddress());
            case 3 -> link.client.removePermission(link.now(), PEER.getAddress());
            default -> link.client.release(link.now());
        }
        link.settle();
    }

    /** The payload with the magic cookie and the transaction id of {@code request} written over bytes 4-19. */
    private static byte[] patched(StunMessage request, byte[] payload) {
        if (request == null || payload.length < StunCodec.HEADER_LENGTH) {
            return payload;
        }
        byte[] b = payload.clone();
        ByteBuffer.wrap(b).putInt(4, StunCodec.MAGIC_COOKIE).put(8, request.transactionId().toBytes());
        return b;
    }

    /** A response header for {@code request}, raw attributes, then MESSAGE-INTEGRITY with the client's key. */
    static byte[] signed(StunMessage request, byte[] payload) {
        if (request == null || payload.length == 0) {
            return payload;
        }
        int attrs = Math.min(payload.length - 1, 0xFFFF - 24);
        StunClass c = (payload[0] & 1) == 0 ? StunClass.SUCCESS_RESPONSE : StunClass.ERROR_RESPONSE;
        ByteBuffer b = ByteBuffer.allocate(StunCodec.HEADER_LENGTH + attrs + 24);
        b.putShort((short) new MessageType(request.method(), c).encode())
                .putShort((short) (attrs + 24))
                .putInt(StunCodec.MAGIC_COOKIE)
                .put(request.transactionId().toBytes())
                .put(payload, 1, attrs);
        byte[] mac = hmacSha1(Arrays.copyOf(b.array(), b.position()));
        b.putShort((short) 0x0008).putShort((short) 20).put(mac);
        return b.array();
    }

    private static byte[] hmacSha1(byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(KEY, "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
