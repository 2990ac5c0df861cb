package io.rtc4j.dtls;

import static io.rtc4j.dtls.DtlsEndpointTest.payload;
import static io.rtc4j.dtls.DtlsLink.T0;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our own epoch-1 record layer ({@link ApplicationRecords}) beside BouncyCastle's: wire compatibility in both
 * directions, one sequence space across the hand-over, anti-replay and forgery drops.
 */
class ApplicationRecordsTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generateEcdsa(RANDOM, T0);
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generateEcdsa(RANDOM, T0);

    private static DtlsLink link(boolean clientOwn, boolean serverOwn) {
        return new DtlsLink(
                DtlsConfig.builder(DtlsRole.CLIENT, CLIENT_CERT, List.of(SERVER_CERT.fingerprint()))
                        .random(RANDOM).ownRecordLayer(clientOwn).build(),
                DtlsConfig.builder(DtlsRole.SERVER, SERVER_CERT, List.of(CLIENT_CERT.fingerprint()))
                        .random(RANDOM).ownRecordLayer(serverOwn).build());
    }

    @ParameterizedTest(name = "client own {0}, server own {1}")
    @CsvSource({"true, true", "true, false", "false, true", "false, false"})
    void ourRecordsAndBouncyCastlesReadEachOtherAndCloseCleanly(boolean clientOwn, boolean serverOwn) {
        try (DtlsLink link = link(clientOwn, serverOwn)) {
            link.startBoth();
            link.awaitConnected();
            link.await(() -> link.server.isConnected(), "server connected");
            assertThat(link.client.ownRecordLayerActive()).isEqualTo(clientOwn);
            assertThat(link.server.ownRecordLayerActive()).isEqualTo(serverOwn);
            int max = link.client.maxApplicationDataSize();
            assertThat(max).isEqualTo(link.server.maxApplicationDataSize());
            List<Integer> sizes = List.of(1, 1200, max, 17, 1000);
            for (int i = 0; i < sizes.size(); i++) {
                link.client.send(payload(sizes.get(i), i));
                link.server.send(payload(sizes.get(i), 50 + i));
            }
            link.await(() -> received(link.serverEvents).size() == sizes.size()
                    && received(link.clientEvents).size() == sizes.size(), "data both ways");
            for (int i = 0; i < sizes.size(); i++) {
                assertThat(received(link.serverEvents).get(i)).isEqualTo(payload(sizes.get(i), i));
                assertThat(received(link.clientEvents).get(i)).isEqualTo(payload(sizes.get(i), 50 + i));
            }
            link.client.close();
            link.await(() -> DtlsLink.terminal(link.serverEvents), "server sees close_notify");
            assertThat(link.first(link.serverEvents, DtlsOutput.DtlsClosed.class)).contains(new DtlsOutput.DtlsClosed(true));
            for (DtlsEndpoint e : List.of(link.client, link.server)) {
                assertThat(e.dropped(DtlsDropReason.REPLAYED) + e.dropped(DtlsDropReason.AUTHENTICATION_FAILED)).isZero();
            }
            // RFC 6347 §4.1: one epoch-1 sequence space per direction, BouncyCastle's Finished and close_notify included
            assertStrictlyIncreasingEpoch1Sequences(link.clientSent);
            assertStrictlyIncreasingEpoch1Sequences(link.serverSent);
        }
    }

    @Test
    void replayedAndForgedRecordsAreCountedDropsAndTheAssociationGoesOn() {
        try (DtlsLink link = link(true, true)) {
            link.startBoth();
            link.awaitConnected();
            link.await(() -> link.server.isConnected(), "server connected");
            link.client.send(payload(300, 1));
            link.await(() -> received(link.serverEvents).size() == 1, "first record");
            byte[] record = link.clientSent.getLast();

            link.server.handleInput(T0, record);
            assertThat(link.server.dropped(DtlsDropReason.REPLAYED)).isEqualTo(1);

            link.client.send(payload(300, 2));
            byte[] fresh = takeTransmit(link.client);
            byte[] forged = fresh.clone();
            forged[forged.length - 20] ^= 1;
            link.server.handleInput(T0, forged);
            assertThat(link.server.dropped(DtlsDropReason.AUTHENTICATION_FAILED)).isEqualTo(1);
            link.server.handleInput(T0, fresh); // the forgery did not move the replay window
            link.pump();
            assertThat(received(link.serverEvents)).hasSize(2);
            assertThat(received(link.serverEvents).get(1)).isEqualTo(payload(300, 2));

            link.client.send(payload(10, 3));
            link.await(() -> received(link.serverEvents).size() == 3, "the association still carries data");
        }
    }

    @Test
    void applicationDataThatOvertakesTheFinishedIsKeptUntilTheClientIsConnected() {
        try (DtlsLink link = new DtlsLink(
                DtlsConfig.builder(DtlsRole.CLIENT, CLIENT_CERT, List.of(SERVER_CERT.fingerprint())).random(RANDOM)
                        .initialRetransmitTimeout(java.time.Duration.ofSeconds(10)).build(),
                DtlsConfig.builder(DtlsRole.SERVER, SERVER_CERT, List.of(CLIENT_CERT.fingerprint())).random(RANDOM)
                        .initialRetransmitTimeout(java.time.Duration.ofSeconds(10)).build())) {
            link.holdForClientAfter = 2; // ClientHello, then the client's second flight: keep what answers it
            link.startBoth();
            link.await(() -> link.server.isConnected(), "server connected");
            link.server.send(payload(500, 9)); // e.g. the server side's SCTP INIT, sent the moment it connects
            link.pump();
            assertThat(link.heldForClient).hasSizeGreaterThanOrEqualTo(2);
            // the application record first, the server's ChangeCipherSpec and Finished after it
            byte[] data = link.heldForClient.removeLast();
            link.client.handleInput(T0, data);
            assertThat(link.client.isConnected()).isFalse();
            for (byte[] d : link.heldForClient) {
                link.client.handleInput(T0, d);
            }
            link.holdForClientAfter = Integer.MAX_VALUE;
            link.await(() -> received(link.clientEvents).size() == 1, "the early record, once connected");
            assertThat(received(link.clientEvents).getFirst()).isEqualTo(payload(500, 9));
            assertThat(link.client.droppedTotal()).isZero();
        }
    }

    @Test
    void replayWindowAcceptsEachSequenceOnceWithinTwoHundredFiftySix() {
        ReplayWindow w = new ReplayWindow();
        assertThat(w.isFresh(0)).isTrue();
        w.mark(0);
        assertThat(w.isFresh(0)).isFalse();
        w.mark(10);
        for (long s = 1; s < 10; s++) {
            assertThat(w.isFresh(s)).as("skipped %d", s).isTrue();
        }
        w.mark(5);
        assertThat(w.isFresh(5)).isFalse();
        w.mark(300);
        assertThat(w.isFresh(44)).as("older than the window").isFalse();
        assertThat(w.isFresh(45)).isTrue();
        assertThat(w.isFresh(299)).isTrue();
        assertThat(w.isFresh(300)).isFalse();
        w.mark(300 + 10_000);
        assertThat(w.isFresh(300 + 10_000 - 255)).isTrue();
        assertThat(w.isFresh(300)).isFalse();
    }

    private static byte[] takeTransmit(DtlsEndpoint e) {
        DtlsOutput o = e.pollOutput();
        assertThat(o).isInstanceOf(DtlsOutput.Transmit.class);
        return ((DtlsOutput.Transmit) o).datagram();
    }

    private static List<byte[]> received(List<DtlsOutput> events) {
        List<byte[]> out = new ArrayList<>();
        for (DtlsOutput o : events) {
            if (o instanceof DtlsOutput.ApplicationDataReceived a) {
                out.add(a.data());
            }
        }
        return out;
    }

    private static void assertStrictlyIncreasingEpoch1Sequences(List<byte[]> datagrams) {
        long last = -1;
        int records = 0;
        for (byte[] d : datagrams) {
            for (int p = 0; p + 13 <= d.length; p += 13 + (int) RecordCipher.getLong(d, p + 11, 2)) {
                if (ApplicationRecords.epoch(d, p) == 1) {
                    long seq = RecordCipher.getLong(d, p + 5, 6);
                    assertThat(seq).as("epoch-1 sequence after %d", last).isGreaterThan(last);
                    last = seq;
                    records++;
                }
            }
        }
        assertThat(records).isGreaterThanOrEqualTo(7); // Finished, 5 records, close_notify (client side)
    }
}
