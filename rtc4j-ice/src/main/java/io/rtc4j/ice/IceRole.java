package io.rtc4j.ice;

/** RFC 8445 §6.1.1: the controlling agent nominates; the offerer is controlling unless it is ICE-lite. */
public enum IceRole {
    CONTROLLING,
    CONTROLLED;

    IceRole other() {
        return this == CONTROLLING ? CONTROLLED : CONTROLLING;
    }
}
