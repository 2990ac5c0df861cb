package io.rtc4j.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.server.interop.Turnutils.Mapped;
import io.rtc4j.server.interop.Turnutils.Relay;
import io.rtc4j.server.interop.Turnutils.Transport;
import io.rtc4j.server.interop.Turnutils.Uclient;
import io.rtc4j.server.interop.Turnutils.UclientSummary;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The parsers, on output captured from coturn 4.6.1 and stun-client 0.97 (Debian 12). */
class TurnutilsTest {
    private static final String UCLIENT_OK = """
            0: : Total connect time is 0
            1: : start_mclient: msz=2, tot_send_msgs=0, tot_recv_msgs=0, tot_send_bytes ~ 0, tot_recv_bytes ~ 0
            4: : start_mclient: msz=2, tot_send_msgs=31, tot_recv_msgs=30, tot_send_bytes ~ 3100, tot_recv_bytes ~ 3000
            6: : start_mclient: msz=2, tot_send_msgs=92, tot_recv_msgs=92, tot_send_bytes ~ 9200, tot_recv_bytes ~ 9200
            6: : start_mclient: tot_send_msgs=100, tot_recv_msgs=100
            6: : start_mclient: tot_send_bytes ~ 10000, tot_recv_bytes ~ 10000
            6: : Total transmit time is 6
            6: : Total lost packets 0 (0.000000%), total send dropped 0 (0.000000%)
            6: : Average round trip delay 0.000000 ms; min = 0 ms, max = 0 ms
            6: : Average jitter 0.170000 ms; min = 0 ms, max = 1 ms
            """;

    @Test
    void parsesTheFinalUclientTotals() {
        UclientSummary s = Turnutils.parseUclient(UCLIENT_OK).orElseThrow();
        assertThat(s.sent()).isEqualTo(100);
        assertThat(s.received()).isEqualTo(100);
        assertThat(s.lost()).isZero();
        assertThat(s.lossPercent()).isEqualTo(0.0);
        assertThat(s.transmitSeconds()).hasValue(6);
        assertThat(s.errors()).isEmpty();
    }

    @Test
    void parsesLossAndNan() {
        String lossy = "start_mclient: tot_send_msgs=100, tot_recv_msgs=90\n"
                + "Total lost packets 10 (10.000000%), total send dropped 0 (0.000000%)\n";
        UclientSummary s = Turnutils.parseUclient(lossy).orElseThrow();
        assertThat(s.lost()).isEqualTo(10);
        assertThat(s.lossPercent()).isEqualTo(10.0);
        assertThat(s.transmitSeconds()).isEmpty();

        String nothing =
                "start_mclient: tot_send_msgs=0, tot_recv_msgs=0\nTotal lost packets 0 (-nan%), total send dropped 0 (-nan%)\n";
        assertThat(Turnutils.parseUclient(nothing).orElseThrow().lossPercent()).isNaN();
    }

    @Test
    void noSummaryWhenTheAllocationFailed() {
        String failed = "0: : channel bind: error 403 (Forbidden IP)\n0: : channel bind: error 403 (Forbidden IP)\n";
        assertThat(Turnutils.parseUclient(failed)).isEmpty();
    }

    @Test
    void parsesTheStunToolsMappedAddresses() throws Exception {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        assertThat(
                        Turnutils.parseStunclient(
                                "0: : IPv4. UDP reflexive addr: 127.0.0.1:58953\n0: : IPv4. UDP reflexive addr: 127.0.0.1:58953\n"))
                .contains(new Mapped(lo, 58953));
        assertThat(Turnutils.parseStunclient("0: : IPv6. UDP reflexive addr: [::1]:4000\n"))
                .contains(new Mapped(InetAddress.getByName("::1"), 4000));
        String stun = """
                Opened port 34996 with fd 3
                About to send msg of len 28 to 127.0.0.1:34780
                Received stun message: 84 bytes
                MappedAddress = 127.0.0.1:34996
                SourceAddress = 127.0.0.1:34780
                ChangedAddress = 127.0.0.1:34780
                \t mappedAddr=127.0.0.1:34996
                """;
        assertThat(Turnutils.parseStun(stun)).contains(new Mapped(lo, 34996));
        assertThat(Turnutils.parseStun("Primary: Blocked or could not reach STUN server\n"))
                .isEmpty();
    }

    @Test
    void uclientArguments() {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20001);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20002);
        assertThat(new Uclient(
                                server,
                                Transport.TLS,
                                Relay.SEND_INDICATIONS,
                                "bob",
                                null,
                                "s3",
                                peer,
                                50,
                                2,
                                100,
                                false)
                        .args())
                .containsExactly(
                        "-t",
                        "-S",
                        "-s",
                        "-c",
                        "-u",
                        "bob",
                        "-W",
                        "s3",
                        "-p",
                        "20001",
                        "-e",
                        "127.0.0.1",
                        "-r",
                        "20002",
                        "-n",
                        "50",
                        "-m",
                        "2",
                        "-l",
                        "100",
                        "127.0.0.1");
        assertThat(new Uclient(server, Transport.UDP, Relay.CHANNELS, "alice", "pw", null, peer, 5, 1, 100, true)
                        .args())
                .startsWith("-u", "alice", "-w", "pw");
    }
}
