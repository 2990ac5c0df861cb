package io.rtc4j.testkit.netns;

import io.rtc4j.testkit.proc.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One network namespace made by a {@link NetnsLab}: {@code ip} and {@code nft} commands aimed at it, and
 * processes started inside it ({@code ip netns exec}). A socket belongs to the namespace of the process that
 * opened it, so code that must send from inside runs as such a process.
 */
public final class Netns {
    private final String name;
    private final String role;

    Netns(String name, String role) {
        this.name = Objects.requireNonNull(name);
        this.role = Objects.requireNonNull(role);
    }

    /** The kernel's name for it ({@code ip netns list}), unique per run. */
    public String name() {
        return name;
    }

    /** The short role the test gave it, e.g. {@code nata}. */
    public String role() {
        return role;
    }

    /** Runs {@code ip -n <name> <args>} and returns its output; a {@link NetnsException} on failure. */
    public String ip(String... args) {
        List<String> a = new ArrayList<>(List.of("-n", name));
        a.addAll(List.of(args));
        return NetnsCommands.ip(a.toArray(String[]::new));
    }

    /** Adds an IPv4 address to an interface of this namespace. */
    public void addAddress(String iface, Ipv4Cidr address) {
        NftRules.checkInterfaceName(iface);
        ip("addr", "add", address.toString(), "dev", iface);
    }

    /** A route to {@code destination} (its network: host bits are ignored) through the gateway {@code via}. */
    public void addRoute(Ipv4Cidr destination, Inet4Address via) {
        ip("route", "add", destination.network().toString(), "via", via.getHostAddress());
    }

    /**
     * A veth pair with both ends in this namespace, {@code address} on {@code ifA} and the default route over it:
     * an interface with a private address and a default route (what Chromium needs to gather anything but
     * loopback, and to hide that address behind an mDNS name), while nothing can leave the namespace.
     */
    public void addPrivateLink(String ifA, String ifB, Ipv4Cidr address) {
        NftRules.checkInterfaceName(ifA);
        NftRules.checkInterfaceName(ifB);
        ip("link", "add", ifA, "type", "veth", "peer", "name", ifB);
        addAddress(ifA, address);
        ip("link", "set", ifA, "up");
        ip("link", "set", ifB, "up");
        ip("route", "add", "default", "dev", ifA);
    }

    /** The default route through {@code via}. */
    public void addDefaultRoute(Inet4Address via) {
        ip("route", "add", "default", "via", via.getHostAddress());
    }

    /** {@code ip netns exec <name>} followed by {@code command}: what a process inside this namespace runs. */
    public List<String> commandInside(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        List<String> cmd = new ArrayList<>(List.of(NetnsCommands.tool("ip").toString(), "netns", "exec", name));
        cmd.addAll(command);
        return cmd;
    }

    /** A {@link ManagedProcess} builder for {@code command} run inside this namespace, named after the role. */
    public ManagedProcess.Builder process(List<String> command) {
        return ManagedProcess.builder(commandInside(command)).name(role);
    }

    /** Runs a short command inside the namespace to completion (bounded) and returns its output. */
    public String run(String... command) {
        return NetnsCommands.run(commandInside(List.of(command)));
    }

    /** Loads an nftables ruleset into this namespace ({@code nft -f}). */
    public void nft(String ruleset) {
        Path file = null;
        try {
            file = Files.createTempFile("rtc4j-" + role + "-", ".nft");
            Files.writeString(file, ruleset, StandardCharsets.UTF_8);
            NetnsCommands.run(commandInside(List.of(NetnsCommands.tool("nft").toString(), "-f", file.toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    /** The ruleset in force here ({@code nft list ruleset}). */
    public String nftRuleset() {
        return run(NetnsCommands.tool("nft").toString(), "list", "ruleset");
    }

    /** A kernel interface counter here, e.g. {@code receivedPackets("dead1")}: rx_packets of that interface. */
    public long receivedPackets(String iface) {
        NftRules.checkInterfaceName(iface);
        return Long.parseLong(run("cat", "/sys/class/net/" + iface + "/statistics/rx_packets").strip());
    }

    /**
     * Writes a per-namespace sysctl under {@code /proc/sys/net} (seen per namespace by the writing process).
     * {@code key} like {@code ipv4/ip_forward}.
     */
    void netSysctl(String key, String value) {
        if (!key.matches("[a-z0-9_/]+") || !value.matches("[0-9]+")) {
            throw new IllegalArgumentException("sysctl " + key + "=" + value);
        }
        run("sh", "-c", "echo " + value + " > /proc/sys/net/" + key);
    }

    @Override
    public String toString() {
        return name;
    }
}
