package io.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientFlightGuardTest {
    /** One record: type, DTLS 1.2, epoch, sequence, and a body whose first byte is {@code first}. */
    private static byte[] record(int type, int epoch, int seq, int first) {
        byte[] r = new byte[13 + 4];
        r[0] = (byte) type;
        r[1] = (byte) 0xFE;
        r[2] = (byte) 0xFD;
        r[4] = (byte) epoch;
        r[10] = (byte) seq;
        r[12] = 4;
        r[13] = (byte) first;
        return r;
    }

    private static byte[] datagram(byte[]... records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] r : records) {
            b.writeBytes(r);
        }
        return b.toByteArray();
    }

    @Test
    void aChangeCipherSpecAndWhatFollowsWaitForTheCertificateVerify() {
        ClientFlightGuard g = new ClientFlightGuard();
        byte[] cert = record(22, 0, 1, 11), cke = record(22, 0, 2, 16), cv = record(22, 0, 3, 15);
        byte[] ccs = record(20, 0, 4, 1), fin = record(22, 1, 0, 20);
        assertThat(g.admit(datagram(cert))).containsExactly(cert);
        assertThat(g.admit(datagram(cke))).containsExactly(cke);
        // the CertificateVerify is lost: the ChangeCipherSpec and the epoch-1 Finished are held
        assertThat(g.admit(datagram(ccs))).isEmpty();
        assertThat(g.admit(datagram(fin))).isEmpty();
        // the retransmitted flight in one datagram: up to the CertificateVerify now, then the held, then the rest
        List<byte[]> out = g.admit(datagram(cert, cke, cv, ccs, fin));
        assertThat(out).hasSize(3);
        assertThat(out.get(0)).isEqualTo(datagram(cert, cke, cv, ccs, fin));
        assertThat(out.get(1)).isEqualTo(ccs);
        assertThat(out.get(2)).isEqualTo(fin);
        // from then on everything passes as it comes
        byte[] late = datagram(ccs, fin);
        assertThat(g.admit(late)).containsExactly(late);
    }

    @Test
    void aFlightInOneDatagramPassesWhole() {
        ClientFlightGuard g = new ClientFlightGuard();
        byte[] flight = datagram(record(22, 0, 1, 11), record(22, 0, 2, 16), record(22, 0, 3, 15), record(20, 0, 4, 1),
                record(22, 1, 0, 20));
        assertThat(g.admit(flight)).containsExactly(flight);
    }

    @Test
    void holdingIsBounded() {
        ClientFlightGuard g = new ClientFlightGuard();
        for (int i = 0; i < ClientFlightGuard.LIMIT + 5; i++) {
            assertThat(g.admit(datagram(record(22, 1, i, 20)))).isEmpty();
        }
        assertThat(g.dropped()).isEqualTo(5);
        assertThat(g.admit(datagram(record(22, 0, 9, 15)))).hasSize(1 + ClientFlightGuard.LIMIT);
    }
}
