package io.rtc4j.stun;

/** ICMP (RFC 8656 §18.13): an ICMP error a peer caused, carried in a Data indication. */
public record Icmp(int icmpType, int icmpCode, int errorData) implements StunAttribute {
    public Icmp {
        if (icmpType < 0 || icmpType > 0xFF || icmpCode < 0 || icmpCode > 0xFF) {
            throw new IllegalArgumentException("ICMP type and code are bytes");
        }
    }

    @Override
    public int type() {
        return AttributeType.ICMP;
    }
}
