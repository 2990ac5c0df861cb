package io.rtc4j.testkit.net;

/**
 * A NAT's mapping or filtering behaviour, in RFC 4787's terms (§4.1 mapping, §5 filtering). The same three values
 * describe both: what a new mapping or an inbound permission depends on.
 */
public enum NatBehavior {
    /** Mapping reused for any destination; filter admits anyone (REQ-1 wants this mapping; "full cone"). */
    ENDPOINT_INDEPENDENT,
    /** Depends on the remote IP address only ("restricted cone" filtering). */
    ADDRESS_DEPENDENT,
    /** Depends on the remote IP address and port ("port-restricted" filtering, "symmetric" mapping). */
    ADDRESS_AND_PORT_DEPENDENT
}
