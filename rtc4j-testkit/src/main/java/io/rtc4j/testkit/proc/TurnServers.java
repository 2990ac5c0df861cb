package io.rtc4j.testkit.proc;

import java.util.Locale;

/**
 * Chooses the TURN server implementation that interop tests run against: rtc4j's own by default, coturn's
 * {@code turnserver} with {@code -Drtc4j.interop.server=coturn} (or {@code RTC4J_INTEROP_SERVER=coturn}).
 */
public final class TurnServers {
    public static final String PROPERTY = "rtc4j.interop.server";
    public static final String ENV = "RTC4J_INTEROP_SERVER";

    private TurnServers() {}

    /** "rtc4j" or "coturn", from the system property, else the environment, else "rtc4j". */
    public static String selected() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            v = System.getenv(ENV);
        }
        if (v == null || v.isBlank()) {
            return "rtc4j";
        }
        v = v.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("rtc4j") && !v.equals("coturn")) {
            throw new IllegalArgumentException(PROPERTY + " must be rtc4j or coturn, not " + v);
        }
        return v;
    }

    /** A builder for the selected implementation. */
    public static TurnServerBuilder<?, ?> underTest() {
        return builder(selected());
    }

    public static TurnServerBuilder<?, ?> builder(String implementation) {
        return switch (implementation) {
            case "rtc4j" -> Rtc4jTurnProcess.builder();
            case "coturn" -> CoturnServer.builder();
            default -> throw new IllegalArgumentException("unknown TURN server implementation " + implementation);
        };
    }
}
