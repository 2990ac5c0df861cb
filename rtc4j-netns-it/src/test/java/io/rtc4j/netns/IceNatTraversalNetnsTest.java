package io.rtc4j.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.netns.Ipv4Cidr;
import io.rtc4j.testkit.netns.LabHost;
import io.rtc4j.testkit.netns.NatBox;
import io.rtc4j.testkit.netns.NatMode;
import io.rtc4j.testkit.netns.NetnsLab;
import io.rtc4j.testkit.netns.PublicNetwork;
import io.rtc4j.testkit.proc.ManagedProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ICE over real kernels (issue 4): two agents on rtc4j's UDP driver ({@link NetnsIceAgent}, one JVM per agent
 * inside its host's namespace) behind nftables NAT boxes, rtc4j's STUN/TURN server ({@code Main turn}) in the
 * public namespace. Each case checks that both agents connect, which candidate types the selected pair has
 * (direct through server-reflexive / peer-reflexive mappings where the NATs allow it, through the TURN relay
 * where they do not), and that application datagrams flow both ways, arriving from the selected pair's remote
 * address.
 *
 * <p>NAT behaviours (measured by {@link NatMappingNetnsTest}): plain masquerade is a port-restricted cone,
 * {@code fully-random} symmetric. Port-restricted x port-restricted punches through; symmetric x symmetric and
 * symmetric x port-restricted need a relay; an un-NATed public host x symmetric connects directly through the
 * peer-reflexive candidate the public host learns.
 */
class IceNatTraversalNetnsTest {
    private static final Duration GATHERING_BOUND = Duration.ofSeconds(60);
    private static final Duration CONNECT_BOUND = Duration.ofSeconds(60);
    private static final Pattern SELECTED =
            Pattern.compile("^SELECTED (\\S+) (\\S+) (\\S+) (\\S+)$");
    private static final Pattern RECEIVED = Pattern.compile("^RECEIVED (\\d+) data (\\S+) (\\d+) from (\\S+)$");
    private static final Pattern COMPLETED = Pattern.compile("^STATE COMPLETED$");

    private static NetnsLab lab;
    private static PublicNetwork internet;
    private static PublicTurnServer turn;
    private static LabHost plain1;
    private static LabHost plain2;
    private static LabHost random1;
    private static LabHost random2;
    private static LabHost open;
    /** Each host's public address: its NAT box's WAN address, or its own when not behind a NAT. */
    private static final Map<LabHost, String> publicFace = new HashMap<>();

    @BeforeAll
    static void buildLab() {
        NetnsRequirement.check();
        lab = NetnsLab.create();
        try {
            Ipv4Cidr server = Ipv4Cidr.parse("203.0.113.1/24");
            internet = lab.publicNetwork("pub", server);
            plain1 = behind("p1", 11, NatMode.MASQUERADE);
            plain2 = behind("p2", 12, NatMode.MASQUERADE);
            random1 = behind("r1", 13, NatMode.MASQUERADE_FULLY_RANDOM);
            random2 = behind("r2", 14, NatMode.MASQUERADE_FULLY_RANDOM);
            open = lab.publicHost("open", internet, Ipv4Cidr.parse("203.0.113.50/24"));
            publicFace.put(open, open.address().ip());
            // Private ranges too, as a permissive deployment would: relayed checks towards the other agent's
            // host candidate then really leave the server, into the public namespace's dead-end route.
            turn = PublicTurnServer.start(internet, List.of("203.0.113.0/24", "10.0.0.0/8"), server);
        } catch (RuntimeException | Error e) {
            tearDown();
            throw e;
        }
    }

    private static LabHost behind(String name, int n, NatMode mode) {
        NatBox nat = lab.natBox("nat" + name, internet, Ipv4Cidr.parse("203.0.113." + n + "/24"),
                Ipv4Cidr.parse("10.0." + n + ".1/24"), mode);
        LabHost host = lab.hostBehind("host" + name, nat, Ipv4Cidr.parse("10.0." + n + ".2/24"));
        publicFace.put(host, nat.wan().ip());
        return host;
    }

    @AfterAll
    static void tearDown() {
        try {
            if (turn != null) {
                turn.close();
            }
        } finally {
            turn = null;
            if (lab != null) {
                lab.close();
                lab = null;
                internet = null;
            }
        }
    }

    @Test
    void portRestrictedConesConnectDirectlyThroughReflexiveCandidates() {
        Connected c = connect(plain1, plain2);
        for (Selected s : List.of(c.controlling(), c.controlled())) {
            assertThat(s.relayed()).as("no relay: " + c).isFalse();
            // RFC 8445 §6.1.2.4: a server-reflexive local candidate is checked from its base, the host one
            assertThat(s.localType()).as("local type: " + c).isIn("host", "srflx", "prflx");
            assertThat(s.remoteType()).as("remote type: the peer's NAT mapping: " + c).isIn("srflx", "prflx");
        }
    }

    @Test
    void symmetricNatsConnectThroughTheRelay() {
        long deadEnd = internet.deadEndPackets();
        Connected c = connect(random1, random2);
        // Every path between two symmetric NATs passes a relay, and both ends of it see a relayed candidate:
        // as their local one, or as the remote one when the peer's relay is the far end.
        assertThat(c.controlling().relayed()).as("relay on the selected pair: " + c).isTrue();
        assertThat(c.controlled().relayed()).as("relay on the selected pair: " + c).isTrue();
        assertRelayedTowardsPrivateAddressesHarmlessly(deadEnd);
    }

    @Test
    void portRestrictedConeAndSymmetricNatConnectThroughTheRelay() {
        long deadEnd = internet.deadEndPackets();
        // Also shows the plain NAT filters by address and port: with endpoint-independent filtering the
        // symmetric side's checks would get through it and the pair would connect directly.
        Connected c = connect(plain1, random1);
        assertThat(c.controlling().relayed()).as("relay on the selected pair: " + c).isTrue();
        assertThat(c.controlled().relayed()).as("relay on the selected pair: " + c).isTrue();
        assertRelayedTowardsPrivateAddressesHarmlessly(deadEnd);
    }

    /**
     * Each relay also checked the peer's private host candidate: the server sent those into the public
     * namespace's dead-end route (the only traffic there: agents behind NATs use their boxes' routes), and the
     * silent drop left it healthy.
     */
    private static void assertRelayedTowardsPrivateAddressesHarmlessly(long deadEndBefore) {
        assertThat(internet.deadEndPackets()).as("relayed datagrams towards private candidates").isGreaterThan(deadEndBefore);
        turn.assertHealthy();
    }

    @Test
    void publicHostAndSymmetricNatConnectDirectlyThroughPeerReflexive() {
        Connected c = connect(open, random2);
        assertThat(c.controlling().relayed()).as("no relay: " + c).isFalse();
        assertThat(c.controlled().relayed()).as("no relay: " + c).isFalse();
        assertThat(c.controlling().localType()).isEqualTo("host");
        // the symmetric NAT's mapping towards the public host is a port nobody signalled
        assertThat(c.controlling().remoteType()).isEqualTo("prflx");
    }

    /** The selected pair as one agent reports it. */
    record Selected(String localType, String remoteType, String local, String remote) {
        /** One side of the pair is a relayed candidate: its datagrams go through the TURN server. */
        boolean relayed() {
            return localType.equals("relay") || remoteType.equals("relay");
        }
    }

    record Connected(Selected controlling, Selected controlled) {}

    /** Runs two agents, exchanges their candidates, waits until each got data from the other. */
    private static Connected connect(LabHost controllingHost, LabHost controlledHost) {
        Path dir = tempDirectory();
        try (ManagedProcess a = agent("a", controllingHost, "controlling", dir.resolve("a.remote"));
                ManagedProcess b = agent("b", controlledHost, "controlled", dir.resolve("b.remote"))) {
            a.awaitOutput(Pattern.compile("^GATHERED$"), GATHERING_BOUND);
            b.awaitOutput(Pattern.compile("^GATHERED$"), GATHERING_BOUND);
            // The signalling channel: each agent's credentials and candidates, as a browser would trickle them.
            writeAtomically(dir.resolve("b.remote"), signalling(a));
            writeAtomically(dir.resolve("a.remote"), signalling(b));
            Pattern enough = Pattern.compile("^RECEIVED " + NetnsIceAgent.REPORTED + " ");
            a.awaitOutput(enough, CONNECT_BOUND);
            b.awaitOutput(enough, CONNECT_BOUND);
            Selected sa = selectedAndCarrying(a, "b");
            Selected sb = selectedAndCarrying(b, "a");
            Connected c = new Connected(sa, sb);
            assertSeenFrom(sa, sb, controlledHost, c);
            assertSeenFrom(sb, sa, controllingHost, c);
            return c;
        } finally {
            deleteRecursively(dir);
        }
    }

    /**
     * Both agents nominated the same pair: what {@code viewer} has as remote end is {@code peer}'s local
     * candidate as the public network sees it: exactly its relayed address, or an un-NATed host itself, or else
     * an address of the peer's NAT box (the port is the NAT's choice).
     */
    private static void assertSeenFrom(Selected viewer, Selected peer, LabHost peerHost, Connected c) {
        String remote = viewer.remote();
        if (peer.localType().equals("relay") || peerHost == open) {
            assertThat(remote).as("the peer's local end, seen directly: " + c).isEqualTo(peer.local());
        } else {
            assertThat(remote).as("the peer's NAT mapping: " + c).startsWith(publicFace.get(peerHost) + ":");
        }
    }

    private static ManagedProcess agent(String name, LabHost host, String role, Path remoteFile) {
        List<String> args = List.of(
                name,
                role,
                host.address().ip(),
                StunMappingProbe.format(turn.addresses().get(0)),
                StunMappingProbe.format(turn.addresses().get(0)),
                PublicTurnServer.USER,
                PublicTurnServer.PASSWORD,
                remoteFile.toString());
        return host.namespace()
                .process(JavaCommand.of(NetnsIceAgent.class.getName(), args))
                .name("ice-" + name + "-" + host.namespace().role())
                .logToTargetDir()
                .start();
    }

    private static String signalling(ManagedProcess agent) {
        StringBuilder sb = new StringBuilder();
        for (String line : agent.lines()) {
            if (line.startsWith("CREDENTIALS ") || line.startsWith("CANDIDATE ")) {
                sb.append(line).append('\n');
            }
        }
        assertThat(sb.toString()).as(agent.describe("signalling")).contains("CREDENTIALS ", "CANDIDATE ");
        return sb.toString();
    }

    /**
     * The agent's last selected pair, after checking that the data it reported came from the peer and from
     * that pair's remote address.
     */
    private static Selected selectedAndCarrying(ManagedProcess agent, String peer) {
        Selected selected = null;
        boolean completed = false;
        int received = 0;
        for (String line : agent.lines()) {
            Matcher m = SELECTED.matcher(line);
            if (m.matches()) {
                selected = new Selected(m.group(1), m.group(2), m.group(3), m.group(4));
            }
            if (COMPLETED.matcher(line).matches()) {
                completed = true;
            }
            Matcher r = RECEIVED.matcher(line);
            if (r.matches()) {
                assertThat(completed).as(agent.describe("data counted before nomination")).isTrue();
                assertThat(r.group(2)).as(agent.describe("data from the peer")).isEqualTo(peer);
                assertThat(r.group(4))
                        .as(agent.describe("data arrives from the selected pair's remote address"))
                        .isEqualTo(selected.remote());
                received++;
            }
        }
        assertThat(received).as(agent.describe("datagrams received")).isEqualTo(NetnsIceAgent.REPORTED);
        return selected;
    }

    private static Path tempDirectory() {
        try {
            return Files.createTempDirectory("rtc4j-ice-netns-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path target, String content) {
        try {
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
