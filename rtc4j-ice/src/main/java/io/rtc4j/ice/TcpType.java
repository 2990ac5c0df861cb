package io.rtc4j.ice;

/** RFC 6544 §4.5 tcptype of a TCP candidate. */
public enum TcpType {
    ACTIVE("active"),
    PASSIVE("passive"),
    SIMULTANEOUS_OPEN("so");

    private final String sdpName;

    TcpType(String sdpName) {
        this.sdpName = sdpName;
    }

    public String sdpName() {
        return sdpName;
    }

    public static TcpType ofSdpName(String name) {
        for (TcpType t : values()) {
            if (t.sdpName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
