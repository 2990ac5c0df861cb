package io.rtc4j.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void singleIpv4() {
        IpRange r = IpRange.parse("1.2.3.4");
        assertThat(r.start()).isEqualTo(ip("1.2.3.4"));
        assertThat(r.end()).isEqualTo(ip("1.2.3.4"));
        assertThat(r.isIpv4()).isTrue();
        assertThat(r.contains(ip("1.2.3.4"))).isTrue();
        assertThat(r.contains(ip("1.2.3.5"))).isFalse();
        assertThat(r).hasToString("1.2.3.4");
    }

    @Test
    void singleIpv6() {
        IpRange r = IpRange.parse(" ::1 ");
        assertThat(r.isIpv4()).isFalse();
        assertThat(r.contains(ip("::1"))).isTrue();
        assertThat(r.contains(ip("::2"))).isFalse();
        assertThat(r.contains(ip("0.0.0.1"))).as("other family").isFalse();
    }

    @Test
    void coturnDashRange() {
        IpRange r = IpRange.parse("10.0.0.0-10.255.255.255");
        assertThat(r.contains(ip("10.0.0.0"))).isTrue();
        assertThat(r.contains(ip("10.128.3.4"))).isTrue();
        assertThat(r.contains(ip("10.255.255.255"))).isTrue();
        assertThat(r.contains(ip("11.0.0.0"))).isFalse();
        assertThat(r.contains(ip("9.255.255.255"))).isFalse();
        assertThat(r).hasToString("10.0.0.0-10.255.255.255");
        assertThat(IpRange.parse(r.toString())).isEqualTo(r);
    }

    @Test
    void ipv6DashRange() {
        IpRange r = IpRange.parse("2001:db8::10 - 2001:db8::ff");
        assertThat(r.contains(ip("2001:db8::10"))).isTrue();
        assertThat(r.contains(ip("2001:db8::80"))).isTrue();
        assertThat(r.contains(ip("2001:db8::100"))).isFalse();
    }

    @Test
    void unsignedComparisonAcrossTheHighBit() {
        // 128.0.0.0 and up are negative as signed bytes; a signed comparison would get these wrong.
        IpRange r = IpRange.parse("100.0.0.0-200.0.0.0");
        assertThat(r.contains(ip("127.0.0.1"))).isTrue();
        assertThat(r.contains(ip("128.0.0.1"))).isTrue();
        assertThat(r.contains(ip("199.255.255.255"))).isTrue();
        assertThat(r.contains(ip("50.0.0.1"))).isFalse();
        assertThat(r.contains(ip("250.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "10.0.0.0/8, 10.0.0.0, 10.255.255.255",
        "192.168.1.0/24, 192.168.1.0, 192.168.1.255",
        "100.64.0.0/10, 100.64.0.0, 100.127.255.255",
        "0.0.0.0/0, 0.0.0.0, 255.255.255.255",
        "1.2.3.4/32, 1.2.3.4, 1.2.3.4",
        "fe80::/10, fe80::, febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "2001:db8::/32, 2001:db8::, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
        "::/0, ::, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "::1/128, ::1, ::1",
    })
    void cidr(String cidr, String first, String last) {
        IpRange r = IpRange.parse(cidr);
        assertThat(r.start()).isEqualTo(ip(first));
        assertThat(r.end()).isEqualTo(ip(last));
    }

    @Test
    void cidrBoundaries() {
        IpRange r = IpRange.parse("fe80::/10");
        assertThat(r.contains(ip("fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff"))).isFalse();
        assertThat(r.contains(ip("fe80::1"))).isTrue();
        assertThat(r.contains(ip("fec0::"))).isFalse();
    }

    @Test
    void mappedLiteralStaysIpv6() {
        IpRange r = IpRange.parse("::ffff:0:0/96");
        assertThat(r.isIpv4()).isFalse();
        assertThat(r.start().getAddress()).hasSize(16);
        assertThat(r.end().getAddress()).hasSize(16);
        assertThat(r.contains(IpRange.parse("::ffff:127.0.0.1").start())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-1", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4.",
        "localhost", "example.com", ":::", "1::2::3", "::g", "fe80::1%eth0", "12345::", "1.2.3.4/33", "::/129",
        "10.0.0.0/", "10.0.0.0/x", "10.0.0.0/-1", "10.0.0.0/0008", "10.0.0.1/8", "fe80::1/10", "1.2.3.4-",
        "-1.2.3.4", "1.2.3.4-5.6.7.8-9.9.9.9", "1.2.3.4-::1", "10.0.0.9-10.0.0.1", "\u0661.2.3.4", "::\uff11"
    })
    void rejectsBadInputWithAClearMessage(String bad) {
        assertThatThrownBy(() -> IpRange.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("null")
                .satisfies(e -> assertThat(e.getMessage()).isNotBlank());
    }

    @Test
    void specificMessages() {
        assertThatThrownBy(() -> IpRange.parse("10.0.0.1/8")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> IpRange.parse("1.2.3.4/33")).hasMessageContaining("exceeds 32");
        assertThatThrownBy(() -> IpRange.parse("1.2.3.4-::1")).hasMessageContaining("mixes address families");
        assertThatThrownBy(() -> IpRange.parse("10.0.0.9-10.0.0.1")).hasMessageContaining("after its end");
        assertThatThrownBy(() -> IpRange.parse("fe80::1%eth0")).hasMessageContaining("zone");
        assertThatThrownBy(() -> IpRange.parse("example.com")).hasMessageContaining("example.com");
        assertThatThrownBy(() -> IpRange.parse("")).hasMessageContaining("empty");
    }

    @Test
    void constructorChecksFamilyAndOrder() {
        assertThatThrownBy(() -> new IpRange(ip("1.2.3.4"), ip("::1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IpRange(ip("1.2.3.4"), ip("1.2.3.3"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(IpRange.of(ip("8.8.8.8")).contains(ip("8.8.8.8"))).isTrue();
        assertThat(IpRange.of(ip("8.8.8.8")).contains((InetAddress) null)).isFalse();
    }
}
