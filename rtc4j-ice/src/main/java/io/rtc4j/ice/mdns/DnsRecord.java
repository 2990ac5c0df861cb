package io.rtc4j.ice.mdns;

import io.rtc4j.stun.Bytes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/** A resource record (RFC 1035 §4.1.3); the top bit of the class is mDNS's cache-flush bit (RFC 6762 §10.2). */
public record DnsRecord(String name, int type, int rclass, long ttlSeconds, Bytes data) {
    public DnsRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
        if (type < 0 || type > 0xFFFF || rclass < 0 || rclass > 0xFFFF || ttlSeconds < 0 || ttlSeconds > 0xFFFFFFFFL
                || data.length() > 0xFFFF) {
            throw new IllegalArgumentException("bad resource record fields");
        }
    }

    /** An A or AAAA record for {@code address}, class IN with cache-flush (a unique name, RFC 6762 §10.2). */
    public static DnsRecord address(String name, InetAddress address, long ttlSeconds) {
        byte[] a = address.getAddress();
        return new DnsRecord(name, a.length == 4 ? DnsQuestion.TYPE_A : DnsQuestion.TYPE_AAAA, 0x8000 | DnsQuestion.CLASS_IN,
                ttlSeconds, Bytes.of(a));
    }

    /** The address of an A or AAAA record with the right length. */
    public Optional<InetAddress> address() {
        boolean ok = (type == DnsQuestion.TYPE_A && data.length() == 4) || (type == DnsQuestion.TYPE_AAAA && data.length() == 16);
        if (!ok || (rclass & 0x7FFF) != DnsQuestion.CLASS_IN) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByAddress(data.toArray()));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
