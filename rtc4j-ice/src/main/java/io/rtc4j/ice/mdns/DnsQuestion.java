package io.rtc4j.ice.mdns;

import java.util.Objects;

/** A question (RFC 1035 §4.1.2); the top bit of the class is mDNS's unicast-response bit (RFC 6762 §5.4). */
public record DnsQuestion(String name, int type, int qclass) {
    public static final int TYPE_A = 1;
    public static final int TYPE_AAAA = 28;
    public static final int TYPE_ANY = 255;
    public static final int CLASS_IN = 1;

    public DnsQuestion {
        Objects.requireNonNull(name, "name");
        if (type < 0 || type > 0xFFFF || qclass < 0 || qclass > 0xFFFF) {
            throw new IllegalArgumentException("type and class are 16 bits");
        }
    }
}
