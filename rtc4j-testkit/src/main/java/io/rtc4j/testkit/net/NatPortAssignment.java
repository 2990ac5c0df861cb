package io.rtc4j.testkit.net;

/** How a NAT picks the external port of a new mapping (RFC 4787 §4.2.1). Never port overloading (REQ-3). */
public enum NatPortAssignment {
    /** Keep the internal port when it is free in the external port range, else fall back to {@link #SEQUENTIAL}. */
    PRESERVING,
    /** The next free port after the last one handed out, wrapping within the range. */
    SEQUENTIAL,
    /** A free port drawn from the NAT's seeded generator. */
    RANDOM
}
