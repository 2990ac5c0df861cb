package io.rtc4j.testkit.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Shared test pieces: addresses from documentation ranges, a STUN-like reflector, payload helpers. */
final class NetFixtures {
    private NetFixtures() {}

    static InetSocketAddress sock(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(SimDatagram d) {
        return new String(d.data(), StandardCharsets.UTF_8);
    }

    /**
     * A STUN-like binding server: answers every datagram with the source address it saw (4 address bytes and 2
     * port bytes), like an XOR-MAPPED-ADDRESS without the XOR. Real STUN lives in rtc4j-stun, which the testkit
     * must not depend on.
     */
    static SimSocket reflector(SimHost host, int port) {
        SimSocket s = host.bind(port);
        s.onReceive(d -> {
            ByteBuffer b = ByteBuffer.allocate(6);
            b.put(d.source().getAddress().getAddress()).putShort((short) d.source().getPort());
            s.send(d.source(), b.flip());
        });
        return s;
    }

    /** Asks a reflector what {@code s} looks like from outside; null if no answer came within 5 s. */
    static InetSocketAddress mappedAddress(SimNetwork net, SimSocket s, InetSocketAddress server) {
        s.send(server, text("what is my address?"));
        if (!net.runUntil(() -> s.queued() > 0, Duration.ofSeconds(5))) {
            return null;
        }
        SimDatagram d = s.poll();
        ByteBuffer b = d.buffer();
        byte[] ip = new byte[4];
        b.get(ip);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(b.getShort()));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
