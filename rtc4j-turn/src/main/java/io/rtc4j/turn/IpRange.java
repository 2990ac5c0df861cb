package io.rtc4j.turn;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An inclusive range of IP addresses of one family, as used by coturn's {@code allowed-peer-ip} and
 * {@code denied-peer-ip} options. Immutable and thread-safe.
 *
 * <p>Addresses are compared as unsigned big-endian byte strings. The family is the one written: {@code
 * ::ffff:10.0.0.0/104} is an IPv6 range, {@code 10.0.0.0/8} an IPv4 range; an address only matches a range
 * of its own family ({@link DefaultPeerAddressPolicy} maps IPv4-mapped peers to IPv4 before matching).
 */
public record IpRange(InetAddress start, InetAddress end) {

    public IpRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        byte[] s = start.getAddress();
        byte[] e = end.getAddress();
        if (s.length != e.length) {
            throw new IllegalArgumentException(
                    "IP range mixes address families: " + start.getHostAddress() + "-" + end.getHostAddress());
        }
        if (Arrays.compareUnsigned(s, e) > 0) {
            throw new IllegalArgumentException(
                    "IP range start is after its end: " + start.getHostAddress() + "-" + end.getHostAddress());
        }
    }

    /** A range holding one address. */
    public static IpRange of(InetAddress address) {
        return new IpRange(address, address);
    }

    /** True if {@code address} is of this range's family and lies between start and end inclusive. */
    public boolean contains(InetAddress address) {
        return address != null && contains(address.getAddress());
    }

    /** Same as {@link #contains(InetAddress)} for raw network-order bytes (4 or 16 of them). */
    boolean contains(byte[] address) {
        byte[] s = start.getAddress();
        return address.length == s.length
                && Arrays.compareUnsigned(s, address) <= 0
                && Arrays.compareUnsigned(address, end.getAddress()) <= 0;
    }

    /** True for an IPv4 range (4-byte addresses). */
    public boolean isIpv4() {
        return start.getAddress().length == 4;
    }

    /**
     * Parses {@code 1.2.3.4}, {@code ::1}, {@code 10.0.0.1-10.0.0.9} (coturn's range syntax) or CIDR
     * {@code 10.0.0.0/8}, {@code fe80::/10}. Only literals are accepted: nothing here ever resolves a
     * host name. CIDR host bits must be zero, so typos such as {@code 10.0.0.1/8} are reported, not guessed.
     *
     * @throws IllegalArgumentException with a message naming the offending input
     */
    public static IpRange parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("empty IP range");
        }
        int slash = t.indexOf('/');
        if (slash >= 0) {
            return parseCidr(t, slash);
        }
        int dash = t.indexOf('-');
        if (dash >= 0) {
            if (t.indexOf('-', dash + 1) >= 0) {
                throw new IllegalArgumentException("IP range has more than one '-': " + text);
            }
            InetAddress a = parseAddress(t.substring(0, dash).strip(), text);
            InetAddress b = parseAddress(t.substring(dash + 1).strip(), text);
            return new IpRange(a, b);
        }
        return of(parseAddress(t, text));
    }

    private static IpRange parseCidr(String t, int slash) {
        InetAddress base = parseAddress(t.substring(0, slash).strip(), t);
        byte[] lo = base.getAddress();
        int bits = lo.length * 8;
        String p = t.substring(slash + 1).strip();
        if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("bad CIDR prefix length in " + t);
        }
        int prefix = Integer.parseInt(p);
        if (prefix > bits) {
            throw new IllegalArgumentException("CIDR prefix length " + prefix + " exceeds " + bits + " in " + t);
        }
        byte[] hi = lo.clone();
        for (int i = 0; i < lo.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8)); // network bits in this byte
            int hostMask = 0xff >>> keep;
            if ((lo[i] & hostMask) != 0) {
                throw new IllegalArgumentException("CIDR " + t + " has host bits set after the /" + prefix);
            }
            hi[i] = (byte) (lo[i] | hostMask);
        }
        return new IpRange(base, toAddress(hi));
    }

    /** Parses one address literal, keeping the written family (see class comment). */
    static InetAddress parseAddress(String s, String whole) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("missing address in IP range: " + whole);
        }
        if (s.indexOf(':') < 0) {
            return toAddress(parseIpv4(s, whole));
        }
        if (s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("IPv6 zone ids are not supported in IP ranges: " + whole);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!HexFormat.isHexDigit(c) && c != ':' && c != '.') {
                throw new IllegalArgumentException("not an IPv6 address: '" + s + "' in " + whole);
            }
        }
        try {
            // Brackets make the JDK treat the text as an IPv6 literal only: it never falls back to DNS.
            InetAddress a = InetAddress.getByName("[" + s + "]");
            // The JDK turns ::ffff:a.b.c.d into an Inet4Address; keep the 16-byte form that was written.
            return a.getAddress().length == 16 ? a : toAddress(mapped(a.getAddress()));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv6 address: '" + s + "' in " + whole, e);
        }
    }

    /**
     * Strict dotted quad: four decimal parts 0-255 without leading zeros, because inet_aton would read
     * {@code 010} as octal and {@code 10.1} as 10.0.0.1, and a policy must not guess.
     */
    private static byte[] parseIpv4(String s, String whole) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + s + "' in " + whole);
        }
        byte[] b = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            boolean digits = !p.isEmpty() && p.length() <= 3 && p.chars().allMatch(c -> c >= '0' && c <= '9');
            if (!digits || (p.length() > 1 && p.charAt(0) == '0') || Integer.parseInt(p) > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + s + "' in " + whole);
            }
            b[i] = (byte) Integer.parseInt(p);
        }
        return b;
    }

    private static byte[] mapped(byte[] v4) {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(v4, 0, b, 12, 4);
        return b;
    }

    /** Builds an address of exactly the given bytes, never converting a mapped IPv6 address to IPv4. */
    static InetAddress toAddress(byte[] bytes) {
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + bytes.length, e);
        }
    }

    @Override
    public String toString() {
        String s = start.getHostAddress();
        return start.equals(end) ? s : s + "-" + end.getHostAddress();
    }
}
