package io.rtc4j.netns;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.netns.Ipv4Cidr;
import io.rtc4j.testkit.netns.LabHost;
import io.rtc4j.testkit.netns.NatBox;
import io.rtc4j.testkit.netns.NatMode;
import io.rtc4j.testkit.netns.NetnsLab;
import io.rtc4j.testkit.netns.PublicNetwork;
import io.rtc4j.testkit.proc.ManagedProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Validates the lab's NATs against rtc4j's real TURN server (its STUN Binding side) in the public namespace:
 * from a host behind each NAT box, one socket asks two server addresses for its mapping. Plain masquerade
 * keeps one mapping across destinations (RFC 4787 §4.1 endpoint-independent), {@code fully-random} gives
 * each destination its own port (symmetric). Both map to the box's WAN address.
 */
class NatMappingNetnsTest {
    private static final Pattern MAPPED = Pattern.compile("^MAPPED (\\S+) (\\S+)$");

    @BeforeAll
    static void requireLab() {
        NetnsRequirement.check();
    }

    @Test
    void plainMasqueradeMapsEndpointIndependentlyAndFullyRandomDoesNot() {
        try (NetnsLab lab = NetnsLab.create()) {
            Ipv4Cidr server1 = Ipv4Cidr.parse("203.0.113.1/24");
            Ipv4Cidr server2 = Ipv4Cidr.parse("203.0.113.2/24");
            PublicNetwork internet = lab.publicNetwork("pub", server1);
            lab.addPublicAddress(internet, server2);
            NatBox plain = lab.natBox("natp", internet, Ipv4Cidr.parse("203.0.113.11/24"),
                    Ipv4Cidr.parse("10.0.1.1/24"), NatMode.MASQUERADE);
            NatBox random = lab.natBox("natr", internet, Ipv4Cidr.parse("203.0.113.12/24"),
                    Ipv4Cidr.parse("10.0.2.1/24"), NatMode.MASQUERADE_FULLY_RANDOM);
            LabHost behindPlain = lab.hostBehind("hostp", plain, Ipv4Cidr.parse("10.0.1.2/24"));
            LabHost behindRandom = lab.hostBehind("hostr", random, Ipv4Cidr.parse("10.0.2.2/24"));

            try (PublicTurnServer turn = PublicTurnServer.start(internet, List.of("203.0.113.0/24"), server1, server2)) {
                List<String> servers = turn.addresses().stream().map(StunMappingProbe::format).toList();

                Map<String, String> viaPlain = probe(behindPlain, servers);
                assertThat(viaPlain).as("mappings behind plain masquerade").hasSize(2);
                assertThat(viaPlain.values()).allMatch(m -> m.startsWith(plain.wan().ip() + ":"));
                assertThat(viaPlain.get(servers.get(0)))
                        .as("endpoint-independent mapping: same external address and port for both servers")
                        .isEqualTo(viaPlain.get(servers.get(1)));

                Map<String, String> viaRandom = probe(behindRandom, servers);
                assertThat(viaRandom).as("mappings behind fully-random masquerade").hasSize(2);
                assertThat(viaRandom.values()).allMatch(m -> m.startsWith(random.wan().ip() + ":"));
                assertThat(viaRandom.get(servers.get(0)))
                        .as("address-and-port-dependent mapping: one port per destination")
                        .isNotEqualTo(viaRandom.get(servers.get(1)));
            }
        }
    }

    /** Runs {@link StunMappingProbe} in the host's namespace; server -> mapped address. */
    private static Map<String, String> probe(LabHost host, List<String> servers) {
        try (ManagedProcess p = host.namespace()
                .process(JavaCommand.of(StunMappingProbe.class.getName(), servers))
                .name("probe-" + host.namespace().role())
                .logToTargetDir()
                .start()) {
            p.awaitOutput(Pattern.compile("^DONE$"), Duration.ofSeconds(90));
            Map<String, String> mapped = new LinkedHashMap<>();
            for (String line : p.lines()) {
                Matcher m = MAPPED.matcher(line);
                if (m.matches()) {
                    mapped.put(m.group(1), m.group(2));
                }
            }
            assertThat(p.output()).as(p.describe("probe")).doesNotContain("TIMEOUT");
            return mapped;
        }
    }
}
