package io.rtc4j.testkit.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's UDP drop counters from /proc/net/snmp (per network namespace: those of the reading process's):
 * InErrors, RcvbufErrors (a socket's receive buffer was full), SndbufErrors. All -1 where the file cannot be
 * read. Benchmarks report them beside their figures: a drop is a loss the protocol had to recover from.
 */
public record UdpCounters(long inErrors, long rcvbufErrors, long sndbufErrors) {

    public static UdpCounters read() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/snmp"));
            for (int i = 0; i + 1 < lines.size(); i++) {
                if (lines.get(i).startsWith("Udp:") && lines.get(i + 1).startsWith("Udp:")) {
                    return parse(lines.get(i), lines.get(i + 1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or an unexpected layout: unknown
        }
        return new UdpCounters(-1, -1, -1);
    }

    public static UdpCounters parse(String header, String values) {
        String[] k = header.trim().split("\\s+");
        String[] v = values.trim().split("\\s+");
        long in = -1, rcv = -1, snd = -1;
        for (int j = 1; j < k.length && j < v.length; j++) {
            switch (k[j]) {
                case "InErrors" -> in = Long.parseLong(v[j]);
                case "RcvbufErrors" -> rcv = Long.parseLong(v[j]);
                case "SndbufErrors" -> snd = Long.parseLong(v[j]);
                default -> { }
            }
        }
        return new UdpCounters(in, rcv, snd);
    }

    public UdpCounters minus(UdpCounters o) {
        if (inErrors < 0 || o.inErrors < 0) {
            return new UdpCounters(-1, -1, -1);
        }
        return new UdpCounters(inErrors - o.inErrors, rcvbufErrors - o.rcvbufErrors, sndbufErrors - o.sndbufErrors);
    }

    /** The kernel's drop count of the IPv4 UDP socket bound to this local port (/proc/net/udp), or -1. */
    public static long socketDrops(int port) {
        try {
            return socketDrops(Files.readAllLines(Path.of("/proc/net/udp")), port);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static long socketDrops(List<String> procNetUdp, int port) {
        String suffix = String.format(":%04X", port);
        for (String line : procNetUdp) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 12 && f[1].endsWith(suffix)) {
                return Long.parseLong(f[f.length - 1]);
            }
        }
        return -1;
    }
}
