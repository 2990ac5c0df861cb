package io.rtc4j.testkit.netns;

import java.util.Objects;

/**
 * An end host: a namespace with one interface {@value #INTERFACE} at {@link #address()}, behind a
 * {@link NatBox} (default route via the box) or directly on the {@link PublicNetwork}.
 */
public record LabHost(Netns namespace, Ipv4Cidr address) {
    public static final String INTERFACE = "eth0";

    public LabHost {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(address, "address");
    }
}
