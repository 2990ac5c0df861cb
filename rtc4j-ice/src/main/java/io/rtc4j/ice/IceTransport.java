package io.rtc4j.ice;

/** The transport of a candidate: UDP, or TCP per RFC 6544 with its tcptype. */
public enum IceTransport {
    UDP,
    TCP;

    public String sdpName() {
        return name();
    }
}
