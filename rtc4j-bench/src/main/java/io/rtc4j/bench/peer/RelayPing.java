package io.rtc4j.bench.peer;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Round trips through a {@link DelayRelay}: two loopback sockets become its endpoints A and B, A pings through P1,
 * B echoes through P2. One ping at a time; each step waits at most {@code timeout} (a lost ping is skipped). The
 * relay's endpoints stay set to the ping sockets afterwards: set them anew before other use.
 */
final class RelayPing {
    private RelayPing() {}

    /** Round-trip times in ms of the pings that came back (at most {@code count}). */
    static List<Double> roundTripsMs(DelayRelay relay, int count, Duration timeout) throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        List<Double> rtts = new ArrayList<>();
        try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(loopback, 0));
                DatagramSocket b = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
            int wait = (int) Math.max(1, timeout.toMillis());
            a.setSoTimeout(wait);
            b.setSoTimeout(wait);
            relay.endpointA((InetSocketAddress) a.getLocalSocketAddress());
            relay.endpointB((InetSocketAddress) b.getLocalSocketAddress());
            byte[] in = new byte[64];
            for (int seq = 0; seq < count; seq++) {
                byte[] ping = ByteBuffer.allocate(8).putLong(seq).array();
                long start = System.nanoTime();
                a.send(new DatagramPacket(ping, ping.length, relay.addressForA()));
                DatagramPacket p = new DatagramPacket(in, in.length);
                if (!receiveSeq(b, p, seq, start, timeout)) {
                    continue; // lost on the way out
                }
                b.send(new DatagramPacket(in, 8, p.getSocketAddress()));
                if (receiveSeq(a, p, seq, start, timeout)) {
                    rtts.add((System.nanoTime() - start) / 1e6);
                }
            }
        }
        return rtts;
    }

    /** Receives until the datagram carrying {@code seq} (older echoes are skipped) or the deadline. */
    private static boolean receiveSeq(DatagramSocket s, DatagramPacket p, long seq, long start, Duration timeout)
            throws IOException {
        long deadline = start + timeout.toNanos();
        for (int i = 0; i < 1000 && deadline - System.nanoTime() > 0; i++) {
            p.setLength(p.getData().length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (p.getLength() == 8 && ByteBuffer.wrap(p.getData(), 0, 8).getLong() == seq) {
                return true;
            }
        }
        return false;
    }
}
