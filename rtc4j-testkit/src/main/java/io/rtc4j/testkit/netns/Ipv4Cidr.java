package io.rtc4j.testkit.netns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IPv4 interface address with its prefix length, as {@code ip addr add} takes it: {@code 10.0.1.2/24}.
 * Parsed from a literal only (never a name lookup).
 */
public record Ipv4Cidr(Inet4Address address, int prefixLength) {
    public Ipv4Cidr {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length out of range: " + prefixLength);
        }
    }

    /** Parses {@code a.b.c.d/n}; {@code a.b.c.d} alone means /32. */
    public static Ipv4Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String ip = slash < 0 ? text : text.substring(0, slash);
        int length;
        try {
            length = slash < 0 ? 32 : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IPv4 prefix: " + text, e);
        }
        return new Ipv4Cidr(literal(ip), length);
    }

    /** A dotted-quad literal as an address, without DNS. */
    public static Inet4Address literal(String ip) {
        String[] parts = ip.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!parts[i].matches("\\d{1,3}")) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            int v = Integer.parseInt(parts[i]);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + ip);
            }
            bytes[i] = (byte) v;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // cannot happen for 4 bytes
        }
    }

    /** The address alone, dotted quad. */
    public String ip() {
        return address.getHostAddress();
    }

    /** Whether {@code other} lies in this prefix. */
    public boolean contains(Inet4Address other) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (toInt(address) & mask) == (toInt(other) & mask);
    }

    /** The network of this prefix: host bits cleared, e.g. {@code 10.0.1.0/24} for {@code 10.0.1.2/24}. */
    public Ipv4Cidr network() {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        int n = toInt(address) & mask;
        return new Ipv4Cidr(literal((n >>> 24) + "." + (n >>> 16 & 0xFF) + "." + (n >>> 8 & 0xFF) + "." + (n & 0xFF)), prefixLength);
    }

    private static int toInt(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
    }

    @Override
    public String toString() {
        return ip() + "/" + prefixLength;
    }
}
