package io.rtc4j.testkit.netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real-kernel network topologies for tests (ENGINEERING.md §4): network namespaces joined by veth pairs,
 * NAT boxes doing nftables masquerade, a public namespace with a dead-end default route. Needs root, iproute2
 * and nftables. Everything it makes carries this run's name prefix {@code r4j-<pid>-<token>-} and is deleted by
 * {@link #close()}; {@link #create()} first deletes what runs of dead JVMs left behind. It never touches a
 * namespace without that prefix and only creates nft tables inside its own namespaces.
 *
 * <pre>{@code
 * try (NetnsLab lab = NetnsLab.create()) {
 *     PublicNetwork internet = lab.publicNetwork("pub", Ipv4Cidr.parse("203.0.113.1/24"));
 *     NatBox nat = lab.natBox("nata", internet, Ipv4Cidr.parse("203.0.113.11/24"),
 *             Ipv4Cidr.parse("10.0.1.1/24"), NatMode.MASQUERADE);
 *     LabHost a = lab.hostBehind("a", nat, Ipv4Cidr.parse("10.0.1.2/24"));
 *     try (ManagedProcess p = a.namespace().process(List.of("java", "...")).start()) { ... }
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test thread builds and closes a lab.
 */
public final class NetnsLab implements AutoCloseable {
    /** Every namespace of every lab starts so; followed by the owning JVM's pid, a token and the role. */
    public static final String PREFIX = "r4j-";

    static final String INSTALL_HINT = "apt-get install iproute2 nftables (.ci/run installs them)";

    private static final Pattern OWNED = Pattern.compile("^r4j-(\\d+)-[0-9a-f]{6}-[a-z][a-z0-9]{0,9}$");
    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9]{0,9}");
    /** A dead-end next hop: a neighbour with a MAC nobody has, behind a veth whose peer drops it. */
    private static final String DEAD_END_LOCAL = "198.18.0.2/30";
    private static final String DEAD_END_GATEWAY = "198.18.0.1";
    private static final String DEAD_END_MAC = "02:00:00:00:00:01";
    /** The veth end where dead-end packets arrive and are dropped (its counters show how many). */
    static final String DEAD_END_SINK = "dead1";

    private final String runPrefix;
    private final List<Netns> namespaces = new ArrayList<>();
    private boolean closed;

    private NetnsLab(String runPrefix) {
        this.runPrefix = runPrefix;
    }

    /**
     * A fresh lab, after removing leftovers of dead runs.
     *
     * @throws NetnsException naming what is missing (not Linux, not root, no {@code ip} or {@code nft})
     */
    public static NetnsLab create() {
        unavailableReason().ifPresent(why -> {
            throw new NetnsException("network namespace lab unavailable: " + why);
        });
        removeStale();
        byte[] token = new byte[3];
        new SecureRandom().nextBytes(token);
        return new NetnsLab(PREFIX + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(token) + "-");
    }

    /** Why a lab cannot run here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!Files.isDirectory(Path.of("/proc/self/ns"))) {
            return Optional.of("not Linux (no /proc/self/ns)");
        }
        if (!isRoot()) {
            return Optional.of("not running as root (network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN)");
        }
        for (String tool : List.of("ip", "nft")) {
            if (NetnsCommands.find(tool).isEmpty()) {
                return Optional.of(tool + " not found: " + INSTALL_HINT);
            }
        }
        return Optional.empty();
    }

    /** True where a lab test must run rather than skip: CI sets {@code CI=true} and runs as root. */
    public static boolean requiredByEnvironment() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    return f.length > 1 && f[1].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The name prefix of everything this lab makes. */
    public String runPrefix() {
        return runPrefix;
    }

    /** The namespaces made so far, in creation order. */
    public List<Netns> namespaces() {
        return List.copyOf(namespaces);
    }

    /** A bare namespace with {@code lo} up and IPv6 off (the lab is IPv4). */
    public Netns namespace(String role) {
        checkOpen();
        if (!ROLE.matcher(Objects.requireNonNull(role, "role")).matches()) {
            throw new IllegalArgumentException("role must match " + ROLE + ": " + role);
        }
        String name = runPrefix + role;
        for (Netns n : namespaces) {
            if (n.name().equals(name)) {
                throw new IllegalArgumentException("role already used: " + role);
            }
        }
        NetnsCommands.ip("netns", "add", name);
        Netns ns = new Netns(name, role);
        namespaces.add(ns);
        ns.ip("link", "set", "lo", "up");
        // Hosts would otherwise also gather IPv6 link-local candidates; missing IPv6 support is fine too.
        ns.run("sh", "-c", "for k in all default; do echo 1 > /proc/sys/net/ipv6/conf/$k/disable_ipv6; done 2>/dev/null; true");
        return ns;
    }

    /** A veth pair: {@code ifA} in {@code a}, {@code ifB} in {@code b}, both up, no addresses. */
    public void veth(Netns a, String ifA, Netns b, String ifB) {
        checkOpen();
        NftRules.checkInterfaceName(ifA);
        NftRules.checkInterfaceName(ifB);
        // Created straight inside the namespaces: nothing of ours ever appears in the root namespace.
        NetnsCommands.ip("link", "add", ifA, "netns", a.name(), "type", "veth", "peer", "name", ifB, "netns", b.name());
        a.ip("link", "set", ifA, "up");
        b.ip("link", "set", ifB, "up");
    }

    /** A veth pair with an address on each end: the two namespaces can then reach each other on that link. */
    public void veth(Netns a, String ifA, Ipv4Cidr addressA, Netns b, String ifB, Ipv4Cidr addressB) {
        veth(a, ifA, b, ifB);
        a.addAddress(ifA, addressA);
        b.addAddress(ifB, addressB);
    }

    /** The "internet" namespace: bridge {@link PublicNetwork#BRIDGE} at {@code address}, dead-end default route. */
    public PublicNetwork publicNetwork(String role, Ipv4Cidr address) {
        Netns ns = namespace(role);
        ns.ip("link", "add", PublicNetwork.BRIDGE, "type", "bridge");
        ns.ip("link", "set", PublicNetwork.BRIDGE, "up");
        ns.addAddress(PublicNetwork.BRIDGE, address);
        deadEndDefaultRoute(ns);
        return new PublicNetwork(ns, address);
    }

    /** One more address on the public bridge, e.g. a second server address for mapping tests. */
    public void addPublicAddress(PublicNetwork network, Ipv4Cidr address) {
        checkOpen();
        network.namespace().addAddress(PublicNetwork.BRIDGE, address);
    }

    /**
     * A NAT box: {@code wan} on the public bridge, bridge {@link NatBox#LAN} at {@code lan} for hosts, IPv4
     * forwarding on, the {@link NftRules#natBox} ruleset, and a dead-end default route.
     */
    public NatBox natBox(String role, PublicNetwork network, Ipv4Cidr wan, Ipv4Cidr lan, NatMode mode) {
        Objects.requireNonNull(mode, "mode");
        requireIn(network.address(), wan, "NAT WAN address");
        Netns ns = namespace(role);
        attachToBridge(network.namespace(), PublicNetwork.BRIDGE, ns, NatBox.WAN, role);
        ns.addAddress(NatBox.WAN, wan);
        ns.ip("link", "add", NatBox.LAN, "type", "bridge");
        ns.ip("link", "set", NatBox.LAN, "up");
        ns.addAddress(NatBox.LAN, lan);
        deadEndDefaultRoute(ns);
        ns.nft(NftRules.natBox(NatBox.WAN, mode));
        ns.netSysctl("ipv4/ip_forward", "1");
        return new NatBox(ns, wan, lan, mode);
    }

    /** A host on the NAT box's LAN, default route via the box. */
    public LabHost hostBehind(String role, NatBox nat, Ipv4Cidr address) {
        requireIn(nat.lan(), address, "host address");
        Netns ns = namespace(role);
        attachToBridge(nat.namespace(), NatBox.LAN, ns, LabHost.INTERFACE, role);
        ns.addAddress(LabHost.INTERFACE, address);
        ns.addDefaultRoute(nat.lan().address());
        return new LabHost(ns, address);
    }

    /** A host directly on the public network (no NAT), with a dead-end default route. */
    public LabHost publicHost(String role, PublicNetwork network, Ipv4Cidr address) {
        requireIn(network.address(), address, "public host address");
        Netns ns = namespace(role);
        attachToBridge(network.namespace(), PublicNetwork.BRIDGE, ns, LabHost.INTERFACE, role);
        ns.addAddress(LabHost.INTERFACE, address);
        deadEndDefaultRoute(ns);
        return new LabHost(ns, address);
    }

    private void attachToBridge(Netns bridgeNs, String bridge, Netns ns, String ifName, String role) {
        String port = "p" + role; // <= 11 characters
        veth(ns, ifName, bridgeNs, port);
        bridgeNs.ip("link", "set", port, "master", bridge);
    }

    /**
     * A default route into nowhere: a veth whose peer drops the packets (their MAC is a permanent neighbour
     * entry nobody owns). Sends succeed and vanish, as towards an unreachable internet address; a blackhole
     * route would fail the send with EINVAL instead, and there is no "dummy" link type on every kernel.
     */
    private static void deadEndDefaultRoute(Netns ns) {
        ns.ip("link", "add", "dead0", "type", "veth", "peer", "name", DEAD_END_SINK);
        ns.ip("link", "set", DEAD_END_SINK, "up");
        ns.ip("link", "set", "dead0", "up");
        ns.ip("addr", "add", DEAD_END_LOCAL, "dev", "dead0");
        ns.ip("neigh", "replace", DEAD_END_GATEWAY, "lladdr", DEAD_END_MAC, "dev", "dead0", "nud", "permanent");
        ns.ip("route", "add", "default", "via", DEAD_END_GATEWAY, "dev", "dead0");
    }

    private static void requireIn(Ipv4Cidr subnet, Ipv4Cidr address, String what) {
        if (address.prefixLength() != subnet.prefixLength() || !subnet.contains(address.address())) {
            throw new IllegalArgumentException(what + " " + address + " not in " + subnet);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("lab closed");
        }
    }

    /**
     * Deletes every namespace of this lab, newest first, after killing any process still inside one (only
     * the lab's own namespaces, hence only processes the test started). Idempotent; reports the first
     * failure after trying everything.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        NetnsException first = null;
        for (int i = namespaces.size() - 1; i >= 0; i--) {
            try {
                delete(namespaces.get(i).name());
            } catch (NetnsException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static void delete(String name) {
        for (String pid : NetnsCommands.ip("netns", "pids", name).split("\\s+")) {
            if (pid.matches("\\d+")) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
        // Deleting a namespace removes its interfaces (and their veth peers) and its nft tables with it.
        NetnsCommands.ip("netns", "delete", name);
    }

    /**
     * Deletes namespaces of labs whose JVM is gone (a crash, a killed build). Only names this class makes,
     * and only when their owner pid is dead.
     *
     * @return the names it deleted
     */
    public static List<String> removeStale() {
        List<String> removed = new ArrayList<>();
        for (String name : parseNetnsList(NetnsCommands.ip("netns", "list"))) {
            if (isStale(name, pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))) {
                delete(name);
                removed.add(name);
            }
        }
        return removed;
    }

    /** The names in {@code ip netns list} output ("name" or "name (id: 3)" per line). */
    static List<String> parseNetnsList(String output) {
        List<String> names = new ArrayList<>();
        for (String line : output.split("\n")) {
            String t = line.strip();
            if (!t.isEmpty()) {
                names.add(t.split("\\s+", 2)[0]);
            }
        }
        return names;
    }

    /** A lab namespace whose owning JVM is not alive. */
    static boolean isStale(String name, java.util.function.LongPredicate alive) {
        Matcher m = OWNED.matcher(name);
        if (!m.matches()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return false;
        }
        return !alive.test(pid);
    }

    @Override
    public String toString() {
        return "NetnsLab[" + runPrefix + "*, " + namespaces.size() + " namespaces]";
    }
}
