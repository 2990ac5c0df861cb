package io.rtc4j.turn;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The usual peer policy: coturn's {@code allowed-peer-ip} / {@code denied-peer-ip} lists over a default that
 * refuses every IANA special-purpose range (RFC 6890 registries, kept current with RFC 9637 and RFC 9602).
 * Immutable and thread-safe.
 *
 * <p>Order, as in coturn: an address in an allowed range is allowed (allow beats deny, so allowing
 * {@code 127.0.0.0/8} is how tests reach loopback peers); else an address in a denied range is denied; else
 * the special-purpose default decides.
 *
 * <p>IPv6 forms that reach an IPv4 host are judged as that host, so {@code ::ffff:127.0.0.1} is loopback:
 * IPv4-mapped and IPv4-compatible (RFC 4291 §2.5.5), SIIT IPv4-translated {@code ::ffff:0:a.b.c.d} (RFC
 * 2765), NAT64 {@code 64:ff9b::/96} (RFC 6052 §2.1) and {@code 64:ff9b:1::/96} inside the local-use
 * {@code 64:ff9b:1::/48} (RFC 8215; other layouts of that /48 stay denied by default, because where the IPv4
 * address sits is not knowable). For 6to4 {@code 2002::/16} (RFC 3056 §2) the embedded IPv4 address is the
 * tunnel end point, so a denied or special one denies the IPv6 address too. Allowed and denied ranges match
 * the address as given and its IPv4 form; IPv4 ranges are the natural way to write rules for mapped peers.
 */
public final class DefaultPeerAddressPolicy implements PeerAddressPolicy {

    /** RFC 6890 §2.2.2 and the IANA IPv4 special-purpose registry, plus multicast and class E. */
    private static final List<IpRange> SPECIAL_V4 = ranges(
            "0.0.0.0/8", // "this network"; Linux treats 0.0.0.0 as loopback (CVE-2020-26262)
            "10.0.0.0/8", // RFC 1918
            "100.64.0.0/10", // RFC 6598 shared address space (CGNAT)
            "127.0.0.0/8", // loopback
            "169.254.0.0/16", // link local, including the 169.254.169.254 cloud metadata service
            "172.16.0.0/12", // RFC 1918
            "192.0.0.0/24", // IETF protocol assignments
            "192.0.2.0/24", // TEST-NET-1, RFC 5737
            "192.88.99.0/24", // deprecated 6to4 relay anycast, RFC 7526
            "192.168.0.0/16", // RFC 1918
            "198.18.0.0/15", // benchmarking, RFC 2544
            "198.51.100.0/24", // TEST-NET-2
            "203.0.113.0/24", // TEST-NET-3
            "224.0.0.0/4", // multicast: a relay must never fan out
            "240.0.0.0/4", // reserved, includes 255.255.255.255 limited broadcast
            "255.255.255.255/32");

    /** RFC 6890 §2.2.3 and the IANA IPv6 special-purpose registry. */
    private static final List<IpRange> SPECIAL_V6 = ranges(
            "::/128", // unspecified; like 0.0.0.0 it reaches the local host
            "::1/128", // loopback
            "64:ff9b:1::/48", // RFC 8215 local-use NAT64; the /96 layout is mapped to IPv4 instead
            "100::/64", // RFC 6666 discard-only
            "2001::/23", // IETF protocol assignments: Teredo, ORCHID, benchmarking ...
            "2001:db8::/32", // documentation, RFC 3849
            "3fff::/20", // documentation, RFC 9637
            "5f00::/16", // SRv6 SIDs, RFC 9602
            "fc00::/7", // unique local, RFC 4193
            "fe80::/10", // link local
            "fec0::/10", // deprecated site local, RFC 3879
            "ff00::/8"); // multicast

    private static final Spans SPECIAL = new Spans(concat(SPECIAL_V4, SPECIAL_V6));

    private final Spans allowed;
    private final Spans denied;
    private final boolean denySpecialPurpose;

    private DefaultPeerAddressPolicy(Builder b) {
        this.allowed = new Spans(b.allow);
        this.denied = new Spans(b.deny);
        this.denySpecialPurpose = b.denySpecialPurpose;
    }

    /** The default policy: no lists, special-purpose ranges denied. */
    public static DefaultPeerAddressPolicy defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The ranges denied by default (IPv4 first), for documentation and tests. */
    public static List<IpRange> specialPurposeRanges() {
        return concat(SPECIAL_V4, SPECIAL_V6);
    }

    @Override
    public boolean isAllowed(InetAddress peer) {
        if (peer == null) {
            return false;
        }
        byte[] raw = peer.getAddress();
        byte[] v4 = embeddedHost(raw);
        byte[] tunnel = sixToFourEndpoint(raw);
        if (allowed.contains(raw) || (v4 != null && allowed.contains(v4))) {
            return true;
        }
        if (denied.contains(raw) || (v4 != null && denied.contains(v4)) || (tunnel != null && denied.contains(tunnel))) {
            return false;
        }
        if (!denySpecialPurpose) {
            return true;
        }
        byte[] host = v4 != null ? v4 : raw;
        return !SPECIAL.contains(host) && (tunnel == null || !SPECIAL.contains(tunnel));
    }

    /**
     * The IPv4 host that an IPv6 address denotes by construction (see class comment), or null. {@code ::}
     * and {@code ::1} stay IPv6: they are the unspecified and loopback addresses, not compatible forms.
     */
    static byte[] embeddedHost(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean zeroTo8 = zero(a, 0, 8);
        if (zeroTo8 && zero(a, 8, 10) && a[10] == (byte) 0xff && a[11] == (byte) 0xff) {
            return last4(a); // ::ffff:a.b.c.d, RFC 4291 §2.5.5.2
        }
        if (zeroTo8 && zero(a, 8, 12) && !(zero(a, 12, 15) && (a[15] == 0 || a[15] == 1))) {
            return last4(a); // ::a.b.c.d, RFC 4291 §2.5.5.1 (deprecated, still routable by some stacks)
        }
        if (zeroTo8 && a[8] == (byte) 0xff && a[9] == (byte) 0xff && zero(a, 10, 12)) {
            return last4(a); // ::ffff:0:a.b.c.d, RFC 2765 §2.1
        }
        if (a[0] == 0 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b) {
            if (zero(a, 4, 12)) {
                return last4(a); // 64:ff9b::/96, RFC 6052 §2.1
            }
            if (a[4] == 0 && a[5] == 1 && zero(a, 6, 12)) {
                return last4(a); // 64:ff9b:1::/96, RFC 8215 with the RFC 6052 /96 layout
            }
        }
        return null;
    }

    /** The IPv4 tunnel end point of a 6to4 address 2002:V4ADDR::/48 (RFC 3056 §2), or null. */
    static byte[] sixToFourEndpoint(byte[] a) {
        return a.length == 16 && a[0] == 0x20 && a[1] == 0x02 ? Arrays.copyOfRange(a, 2, 6) : null;
    }

    private static boolean zero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] last4(byte[] a) {
        return Arrays.copyOfRange(a, 12, 16);
    }

    private static List<IpRange> ranges(String... cidrs) {
        return Arrays.stream(cidrs).map(IpRange::parse).toList();
    }

    private static List<IpRange> concat(List<IpRange> a, List<IpRange> b) {
        List<IpRange> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** Ranges flattened to byte arrays once, so a check does not copy every range's addresses again. */
    private static final class Spans {
        private final byte[][] lo;
        private final byte[][] hi;

        Spans(List<IpRange> ranges) {
            lo = new byte[ranges.size()][];
            hi = new byte[ranges.size()][];
            for (int i = 0; i < lo.length; i++) {
                lo[i] = ranges.get(i).start().getAddress();
                hi[i] = ranges.get(i).end().getAddress();
            }
        }

        boolean contains(byte[] a) {
            for (int i = 0; i < lo.length; i++) {
                if (lo[i].length == a.length
                        && Arrays.compareUnsigned(lo[i], a) <= 0
                        && Arrays.compareUnsigned(a, hi[i]) <= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Collects the lists; not thread-safe (the built policy is). */
    public static final class Builder {
        private final List<IpRange> allow = new ArrayList<>();
        private final List<IpRange> deny = new ArrayList<>();
        private boolean denySpecialPurpose = true;

        private Builder() {}

        /** Allows a range even if it is denied or special-purpose (coturn's allowed-peer-ip). */
        public Builder allow(IpRange range) {
            allow.add(Objects.requireNonNull(range, "range"));
            return this;
        }

        /** Parses with {@link IpRange#parse} and allows. */
        public Builder allow(String range) {
            return allow(IpRange.parse(range));
        }

        /** Denies a range unless it is also allowed (coturn's denied-peer-ip). */
        public Builder deny(IpRange range) {
            deny.add(Objects.requireNonNull(range, "range"));
            return this;
        }

        /** Parses with {@link IpRange#parse} and denies. */
        public Builder deny(String range) {
            return deny(IpRange.parse(range));
        }

        /** Whether addresses in no list but in a special-purpose range are denied; default true. */
        public Builder denySpecialPurpose(boolean deny) {
            this.denySpecialPurpose = deny;
            return this;
        }

        public DefaultPeerAddressPolicy build() {
            return new DefaultPeerAddressPolicy(this);
        }
    }
}
