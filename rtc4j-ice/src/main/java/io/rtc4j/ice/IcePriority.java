package io.rtc4j.ice;

/** Candidate and pair priorities (RFC 8445 §5.1.2.1 and §6.1.2.3). */
public final class IcePriority {
    private IcePriority() {}

    /**
     * priority = 2^24 * type preference + 2^8 * local preference + (256 - component id).
     *
     * @param localPreference 0..65535: the agent's preference among its interfaces and address families
     */
    public static long candidate(CandidateType type, int localPreference, int component) {
        if (localPreference < 0 || localPreference > 65535 || component < 1 || component > 256) {
            throw new IllegalArgumentException("local preference 0..65535, component 1..256");
        }
        return ((long) type.typePreference() << 24) + ((long) localPreference << 8) + (256 - component);
    }

    /**
     * Local preference for RFC 6544 TCP candidates (§4.2): direction preference in the top 3 bits
     * (host: active 6, passive 4, so 2), then other preference.
     */
    public static int tcpLocalPreference(TcpType tcpType, CandidateType type, int otherPreference) {
        int direction = switch (tcpType) {
            case ACTIVE -> type == CandidateType.HOST ? 6 : 5;
            case PASSIVE -> type == CandidateType.HOST ? 4 : 2;
            case SIMULTANEOUS_OPEN -> type == CandidateType.HOST ? 2 : 6;
        };
        return (direction << 13) | (otherPreference & 0x1FFF);
    }

    /**
     * pair priority = 2^32 * MIN(G, D) + 2 * MAX(G, D) + (G > D ? 1 : 0), G the controlling agent's
     * candidate priority and D the controlled agent's.
     */
    public static long pair(long controlling, long controlled) {
        long min = Math.min(controlling, controlled);
        long max = Math.max(controlling, controlled);
        return (min << 32) + 2 * max + (controlling > controlled ? 1 : 0);
    }
}
