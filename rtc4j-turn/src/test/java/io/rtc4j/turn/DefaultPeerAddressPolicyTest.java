package io.rtc4j.turn;

import static io.rtc4j.turn.IpRangeTest.ip;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DefaultPeerAddressPolicyTest {

    private final DefaultPeerAddressPolicy defaults = DefaultPeerAddressPolicy.defaults();

    /** An address of exactly these bytes: the JDK would turn a 16-byte mapped address into IPv4 on its own. */
    static InetAddress v6(String literal) {
        try {
            return Inet6Address.getByAddress(null, IpRange.parse(literal).start().getAddress(), -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.255.255.255",
        "169.254.169.254", "172.16.0.1", "172.31.255.255", "192.0.0.9", "192.0.2.1", "192.88.99.1",
        "192.168.1.1", "198.18.0.1", "198.19.255.255", "198.51.100.7", "203.0.113.9", "224.0.0.1",
        "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "100::1", "2001::1", "2001:1ff::1", "2001:db8::1", "3fff::1", "5f00::1", "fc00::1",
        "fd12:3456::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "64:ff9b:1:1234::1"
    })
    void deniesSpecialPurposeAddresses(String address) {
        assertThat(defaults.isAllowed(ip(address))).as(address).isFalse();
    }

    @Test
    void deniesTheFirstLastAndMiddleOfEverySpecialRange() {
        for (IpRange r : DefaultPeerAddressPolicy.specialPurposeRanges()) {
            BigInteger lo = new BigInteger(1, r.start().getAddress());
            BigInteger hi = new BigInteger(1, r.end().getAddress());
            for (BigInteger n : new BigInteger[] {lo, hi, lo.add(hi).shiftRight(1)}) {
                InetAddress a = address(n, r.start().getAddress().length);
                assertThat(defaults.isAllowed(a)).as("%s in %s", a, r).isFalse();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "8.8.8.8", "1.1.1.1", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "172.15.255.255",
        "172.32.0.0", "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255",
        "2a00:1450::1", "2a00:1450:4001:81c::200e", "2606:4700::1111", "2001:200::1", "2001:4860:4860::8888",
        "2002:808:808::1", "64:ff9b::808:808", "64:ff9b:1::808:808", "fbff:ffff::1"
    })
    void allowsPublicAddresses(String address) {
        assertThat(defaults.isAllowed(ip(address))).as(address).isTrue();
    }

    @Test
    void ipv4MappedIsJudgedAsIpv4() {
        assertThat(defaults.isAllowed(v6("::ffff:127.0.0.1"))).isFalse();
        assertThat(defaults.isAllowed(v6("::ffff:10.1.2.3"))).isFalse();
        assertThat(defaults.isAllowed(v6("::ffff:169.254.169.254"))).isFalse();
        assertThat(defaults.isAllowed(v6("::ffff:0.0.0.0"))).isFalse();
        assertThat(defaults.isAllowed(v6("::ffff:8.8.8.8"))).isTrue();
        // The JDK's own conversion path gives the same answer.
        assertThat(defaults.isAllowed(ip("::ffff:127.0.0.1"))).isFalse();
    }

    @Test
    void ipv4CompatibleAndTranslatedAreJudgedAsIpv4() {
        assertThat(defaults.isAllowed(v6("::127.0.0.1"))).isFalse();
        assertThat(defaults.isAllowed(v6("::10.0.0.1"))).isFalse();
        assertThat(defaults.isAllowed(v6("::8.8.8.8"))).isTrue();
        assertThat(defaults.isAllowed(v6("::ffff:0:127.0.0.1"))).isFalse();
        assertThat(defaults.isAllowed(v6("::ffff:0:8.8.8.8"))).isTrue();
    }

    @Test
    void nat64IsJudgedByTheEmbeddedIpv4() {
        assertThat(defaults.isAllowed(ip("64:ff9b::7f00:1"))).as("WKP to 127.0.0.1").isFalse();
        assertThat(defaults.isAllowed(ip("64:ff9b::a9fe:a9fe"))).as("WKP to 169.254.169.254").isFalse();
        assertThat(defaults.isAllowed(ip("64:ff9b::c0a8:101"))).as("WKP to 192.168.1.1").isFalse();
        assertThat(defaults.isAllowed(ip("64:ff9b::808:808"))).as("WKP to 8.8.8.8").isTrue();
        assertThat(defaults.isAllowed(ip("64:ff9b:1::a00:1"))).as("local-use /96 to 10.0.0.1").isFalse();
        assertThat(defaults.isAllowed(ip("64:ff9b:1::808:808"))).as("local-use /96 to 8.8.8.8").isTrue();
        assertThat(defaults.isAllowed(ip("64:ff9b:1:808:8:800::"))).as("local-use, other layout").isFalse();
    }

    @Test
    void sixToFourIsJudgedByTheTunnelEndpoint() {
        assertThat(defaults.isAllowed(ip("2002:7f00:1::1"))).as("6to4 via 127.0.0.1").isFalse();
        assertThat(defaults.isAllowed(ip("2002:c0a8:101::1"))).as("6to4 via 192.168.1.1").isFalse();
        assertThat(defaults.isAllowed(ip("2002:a9fe:a9fe::1"))).as("6to4 via 169.254.169.254").isFalse();
        assertThat(defaults.isAllowed(ip("2002:808:808::1"))).as("6to4 via 8.8.8.8").isTrue();
        DefaultPeerAddressPolicy p = DefaultPeerAddressPolicy.builder().deny("8.8.0.0/16").build();
        assertThat(p.isAllowed(ip("2002:808:808::1"))).as("denied tunnel end point").isFalse();
    }

    @Test
    void allowBeatsDenyAndSpecialPurpose() {
        DefaultPeerAddressPolicy p = DefaultPeerAddressPolicy.builder()
                .allow("127.0.0.0/8")
                .allow("10.1.0.0-10.1.255.255")
                .deny("10.0.0.0/8")
                .deny("8.8.8.8")
                .allow("::1")
                .build();
        assertThat(p.isAllowed(ip("127.0.0.1"))).isTrue();
        assertThat(p.isAllowed(v6("::ffff:127.0.0.1"))).as("mapped form of an allowed address").isTrue();
        assertThat(p.isAllowed(ip("::1"))).isTrue();
        assertThat(p.isAllowed(ip("10.1.2.3"))).as("allowed inside a denied range").isTrue();
        assertThat(p.isAllowed(ip("10.2.0.1"))).isFalse();
        assertThat(p.isAllowed(ip("8.8.8.8"))).as("explicitly denied public address").isFalse();
        assertThat(p.isAllowed(v6("::ffff:8.8.8.8"))).as("mapped form of a denied address").isFalse();
        assertThat(p.isAllowed(ip("64:ff9b::808:808"))).as("NAT64 form of a denied address").isFalse();
        assertThat(p.isAllowed(ip("8.8.4.4"))).isTrue();
        assertThat(p.isAllowed(ip("192.168.0.1"))).as("still special-purpose").isFalse();
    }

    @Test
    void ipv6RangeRulesMatchTheRawForm() {
        DefaultPeerAddressPolicy p = DefaultPeerAddressPolicy.builder().deny("2a00:1450::/32").build();
        assertThat(p.isAllowed(ip("2a00:1450::1"))).isFalse();
        assertThat(p.isAllowed(ip("2a00:1451::1"))).isTrue();
        DefaultPeerAddressPolicy q = DefaultPeerAddressPolicy.builder().allow("fd00::/8").build();
        assertThat(q.isAllowed(ip("fd00::5"))).isTrue();
        assertThat(q.isAllowed(ip("fc00::5"))).isFalse();
    }

    @Test
    void specialPurposeDefaultCanBeTurnedOff() {
        DefaultPeerAddressPolicy open = DefaultPeerAddressPolicy.builder()
                .denySpecialPurpose(false)
                .deny("169.254.0.0/16")
                .build();
        assertThat(open.isAllowed(ip("127.0.0.1"))).isTrue();
        assertThat(open.isAllowed(ip("fe80::1"))).isTrue();
        assertThat(open.isAllowed(ip("169.254.169.254"))).isFalse();
    }

    @Test
    void nullIsDenied() {
        assertThat(defaults.isAllowed(null)).isFalse();
    }

    private static InetAddress address(BigInteger n, int length) {
        byte[] full = n.toByteArray(); // may carry a leading sign byte or be short
        byte[] b = new byte[length];
        int copy = Math.min(full.length, length);
        System.arraycopy(full, full.length - copy, b, length - copy, copy);
        try {
            return length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(Arrays.toString(b), e);
        }
    }
}
