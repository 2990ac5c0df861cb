package io.rtc4j.ice;

/** The four candidate types (RFC 8445 §5.1.1) with their recommended type preferences (§5.1.2.2). */
public enum CandidateType {
    HOST("host", 126),
    PEER_REFLEXIVE("prflx", 110),
    SERVER_REFLEXIVE("srflx", 100),
    RELAYED("relay", 0);

    private final String sdpName;
    private final int typePreference;

    CandidateType(String sdpName, int typePreference) {
        this.sdpName = sdpName;
        this.typePreference = typePreference;
    }

    /** The token in an SDP candidate attribute (RFC 8839 §5.1). */
    public String sdpName() {
        return sdpName;
    }

    public int typePreference() {
        return typePreference;
    }

    /** Null for a token this version does not know (a parser error, or a candidate to skip). */
    public static CandidateType ofSdpName(String name) {
        for (CandidateType t : values()) {
            if (t.sdpName.equalsIgnoreCase(name)) {
                return t;
            }
        }
        return null;
    }
}
