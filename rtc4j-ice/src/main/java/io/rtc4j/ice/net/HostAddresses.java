package io.rtc4j.ice.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Picks the addresses that become host candidates (RFC 8445 §5.1.1.1): every up interface, no virtual
 * sub-interfaces, no IPv6 link-local (they need a scope and browsers skip them), no multicast or wildcard;
 * loopback only when asked or when nothing else exists (a loopback-only network namespace). IPv6 comes first,
 * as RFC 6724 prefers it.
 */
final class HostAddresses {
    private HostAddresses() {}

    static List<InetAddress> select(IceUdpConfig config) throws SocketException {
        if (!config.hostAddresses().isEmpty()) {
            return config.hostAddresses();
        }
        Set<InetAddress> chosen = new LinkedHashSet<>();
        Set<InetAddress> loopback = new LinkedHashSet<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp() || nif.isVirtual()) {
                continue;
            }
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                if (!usable(config, a) || !config.hostFilter().accept(nif, a)) {
                    continue;
                }
                (a.isLoopbackAddress() ? loopback : chosen).add(a);
            }
        }
        if (config.includeLoopback() || chosen.isEmpty()) {
            chosen.addAll(loopback);
        }
        List<InetAddress> out = new ArrayList<>(chosen);
        out.sort((x, y) -> Boolean.compare(x instanceof Inet4Address, y instanceof Inet4Address)); // stable: v6 first
        return out;
    }

    static boolean usable(IceUdpConfig config, InetAddress a) {
        if (a.isMulticastAddress() || a.isAnyLocalAddress()) {
            return false;
        }
        if (a instanceof Inet6Address) {
            return config.ipv6() && !a.isLinkLocalAddress();
        }
        return true;
    }
}
