package io.rtc4j.stun;

import java.net.Inet4Address;
import java.net.InetAddress;

/** The address family byte of address attributes (RFC 8489 §14.1) and of REQUESTED-ADDRESS-FAMILY. */
public enum AddressFamily {
    IPV4(0x01),
    IPV6(0x02);

    private final int code;

    AddressFamily(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static AddressFamily of(InetAddress address) {
        return address instanceof Inet4Address ? IPV4 : IPV6;
    }

    /** Returns null for an unknown code; callers turn that into a parse error or a 440. */
    public static AddressFamily ofCode(int code) {
        return switch (code) {
            case 0x01 -> IPV4;
            case 0x02 -> IPV6;
            default -> null;
        };
    }
}
