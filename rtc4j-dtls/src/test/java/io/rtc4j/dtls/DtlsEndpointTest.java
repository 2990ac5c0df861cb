package io.rtc4j.dtls;

import static io.rtc4j.dtls.DtlsLink.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.tls.CipherSuite;
import org.junit.jupiter.api.Test;

/** Two endpoints in one JVM, joined in memory by {@link DtlsLink}. */
class DtlsEndpointTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DtlsCertificate CLIENT_CERT = DtlsCertificate.generateEcdsa(RANDOM, T0);
    private static final DtlsCertificate SERVER_CERT = DtlsCertificate.generateEcdsa(RANDOM, T0);

    private static DtlsConfig.Builder client(DtlsCertificate own, DtlsCertificate expected) {
        return DtlsConfig.builder(DtlsRole.CLIENT, own, List.of(expected.fingerprint())).random(RANDOM);
    }

    private static DtlsConfig.Builder server(DtlsCertificate own, DtlsCertificate expected) {
        return DtlsConfig.builder(DtlsRole.SERVER, own, List.of(expected.fingerprint())).random(RANDOM);
    }

    private static DtlsLink link(DtlsConfig.Builder c, DtlsConfig.Builder s) {
        return new DtlsLink(c.build(), s.build());
    }

    @Test
    void handshakeExportsEqualKeysAndCarriesApplicationDataBothWays() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.startBoth();
            DtlsOutput.DtlsConnected c = link.awaitConnected();
            DtlsOutput.DtlsConnected s = link.first(link.serverEvents, DtlsOutput.DtlsConnected.class).orElseThrow();

            assertThat(c.srtpProfile()).contains(SrtpProfile.SRTP_AEAD_AES_128_GCM);
            assertThat(s.srtpProfile()).contains(SrtpProfile.SRTP_AEAD_AES_128_GCM);
            assertThat(c.keyingMaterial()).isPresent();
            assertThat(c.keyingMaterial()).isEqualTo(s.keyingMaterial());
            assertThat(c.keyingMaterial().orElseThrow().clientKey())
                    .isNotEqualTo(c.keyingMaterial().orElseThrow().serverKey());
            assertThat(c.remoteFingerprint()).isEqualTo(SERVER_CERT.fingerprint());
            assertThat(s.remoteFingerprint()).isEqualTo(CLIENT_CERT.fingerprint());
            assertThat(c.cipherSuite()).isEqualTo(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
            assertThat(s.cipherSuite()).isEqualTo(c.cipherSuite());

            // SCTP-sized packets and the largest record that fits the datagram limit, both ways, in order.
            int max = link.client.maxApplicationDataSize();
            assertThat(max).isGreaterThanOrEqualTo(1200);
            List<Integer> sizes = List.of(1, 100, 1200, 1232, max, 1200);
            for (int i = 0; i < sizes.size(); i++) {
                link.client.send(payload(sizes.get(i), i));
                link.server.send(payload(sizes.get(i), 100 + i));
            }
            link.await(() -> link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).size() == sizes.size()
                            && link.all(link.clientEvents, DtlsOutput.ApplicationDataReceived.class).size() == sizes.size(),
                    "all application data");
            var atServer = link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class);
            var atClient = link.all(link.clientEvents, DtlsOutput.ApplicationDataReceived.class);
            for (int i = 0; i < sizes.size(); i++) {
                assertThat(atServer.get(i).data()).isEqualTo(payload(sizes.get(i), i));
                assertThat(atClient.get(i).data()).isEqualTo(payload(sizes.get(i), 100 + i));
            }
            for (byte[] d : link.clientSent) {
                assertThat(d.length).isLessThanOrEqualTo(DtlsConfig.DEFAULT_MAX_DATAGRAM_SIZE);
            }
            assertThatThrownBy(() -> link.client.send(new byte[max + 1])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> link.client.send(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void wakeupCallbackAnnouncesEveryAsynchronousOutput() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.onlyOnWakeup = true;
            link.startBoth();
            link.awaitConnected();
            for (int i = 0; i < 20; i++) {
                link.client.send(payload(1000, i));
            }
            link.await(() -> link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).size() == 20, "data");
            link.client.close();
            link.await(() -> DtlsLink.terminal(link.serverEvents), "server closed");
        }
    }

    @Test
    void rsaCertificatesFromPeersAreAccepted() {
        DtlsCertificate rsa = DtlsCertificate.generateRsa(RANDOM, T0);
        try (DtlsLink link = link(client(CLIENT_CERT, rsa), server(rsa, CLIENT_CERT))) {
            link.startBoth();
            DtlsOutput.DtlsConnected c = link.awaitConnected();
            assertThat(c.remoteFingerprint()).isEqualTo(rsa.fingerprint());
            assertThat(c.cipherSuite()).isEqualTo(CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        }
        try (DtlsLink link = link(client(rsa, SERVER_CERT), server(SERVER_CERT, rsa))) {
            link.startBoth();
            assertThat(link.awaitConnected().remoteFingerprint()).isEqualTo(SERVER_CERT.fingerprint());
            assertThat(link.first(link.serverEvents, DtlsOutput.DtlsConnected.class).orElseThrow().remoteFingerprint())
                    .isEqualTo(rsa.fingerprint());
        }
    }

    @Test
    void anyOfSeveralFingerprintsWithOtherHashFunctionsMatches() {
        DtlsFingerprint wrong = DtlsCertificate.generateEcdsa(RANDOM, T0).fingerprint();
        for (String hash : List.of("sha-1", "sha-224", "sha-384", "sha-512")) {
            DtlsConfig.Builder c = DtlsConfig.builder(
                            DtlsRole.CLIENT, CLIENT_CERT, List.of(wrong, SERVER_CERT.fingerprint(hash)))
                    .random(RANDOM);
            try (DtlsLink link = link(c, server(SERVER_CERT, CLIENT_CERT))) {
                link.startBoth();
                assertThat(link.awaitConnected().remoteFingerprint()).isEqualTo(SERVER_CERT.fingerprint());
            }
        }
    }

    @Test
    void serverCertificateMismatchFailsBothSidesWithBadCertificate() {
        DtlsCertificate stranger = DtlsCertificate.generateEcdsa(RANDOM, T0);
        try (DtlsLink link = link(client(CLIENT_CERT, stranger), server(SERVER_CERT, CLIENT_CERT))) {
            link.startBoth();
            link.await(() -> DtlsLink.terminal(link.clientEvents) && DtlsLink.terminal(link.serverEvents), "both failed");
            var c = link.first(link.clientEvents, DtlsOutput.DtlsFailed.class).orElseThrow();
            var s = link.first(link.serverEvents, DtlsOutput.DtlsFailed.class).orElseThrow();
            assertThat(c.alert()).contains(new DtlsAlert(DtlsAlert.BAD_CERTIFICATE, false));
            assertThat(s.alert()).contains(new DtlsAlert(DtlsAlert.BAD_CERTIFICATE, true));
            assertThat(link.first(link.clientEvents, DtlsOutput.DtlsConnected.class)).isEmpty();
            assertThat(link.first(link.serverEvents, DtlsOutput.DtlsConnected.class)).isEmpty();
            assertThatThrownBy(() -> link.client.send(new byte[1])).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void clientCertificateMismatchFailsBothSidesWithBadCertificate() {
        DtlsCertificate stranger = DtlsCertificate.generateEcdsa(RANDOM, T0);
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, stranger))) {
            link.startBoth();
            link.await(() -> DtlsLink.terminal(link.clientEvents) && DtlsLink.terminal(link.serverEvents), "both failed");
            var c = link.first(link.clientEvents, DtlsOutput.DtlsFailed.class).orElseThrow();
            var s = link.first(link.serverEvents, DtlsOutput.DtlsFailed.class).orElseThrow();
            assertThat(s.alert()).contains(new DtlsAlert(DtlsAlert.BAD_CERTIFICATE, false));
            assertThat(c.alert()).contains(new DtlsAlert(DtlsAlert.BAD_CERTIFICATE, true));
            assertThat(link.first(link.clientEvents, DtlsOutput.DtlsConnected.class)).isEmpty();
        }
    }

    @Test
    void srtpProfileNegotiation() {
        var gcm = SrtpProfile.SRTP_AEAD_AES_128_GCM;
        var cm = SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80;
        record Case(List<SrtpProfile> client, List<SrtpProfile> server, SrtpProfile expected) {}
        List<Case> cases = List.of(
                new Case(List.of(gcm, cm), List.of(gcm, cm), gcm),
                new Case(List.of(cm, gcm), List.of(gcm, cm), gcm), // the server's preference decides
                new Case(List.of(gcm, cm), List.of(cm), cm),
                new Case(List.of(cm), List.of(gcm, cm), cm),
                new Case(List.of(), List.of(gcm, cm), null),
                new Case(List.of(gcm), List.of(cm), null),
                new Case(List.of(gcm, cm), List.of(), null));
        for (Case k : cases) {
            try (DtlsLink link = link(
                    client(CLIENT_CERT, SERVER_CERT).srtpProfiles(k.client()),
                    server(SERVER_CERT, CLIENT_CERT).srtpProfiles(k.server()))) {
                link.startBoth();
                var c = link.awaitConnected();
                var s = link.first(link.serverEvents, DtlsOutput.DtlsConnected.class).orElseThrow();
                assertThat(c.srtpProfile()).as(k.toString()).isEqualTo(java.util.Optional.ofNullable(k.expected()));
                assertThat(s.srtpProfile()).as(k.toString()).isEqualTo(c.srtpProfile());
                assertThat(s.keyingMaterial()).as(k.toString()).isEqualTo(c.keyingMaterial());
                if (k.expected() != null) {
                    var km = c.keyingMaterial().orElseThrow();
                    assertThat(km.exported()).hasSize(k.expected().keyingMaterialLength());
                    assertThat(km.clientSalt()).hasSize(k.expected().saltLength());
                } else {
                    assertThat(c.keyingMaterial()).isEmpty();
                }
            }
        }
    }

    @Test
    void lostHandshakeFlightsAreRetransmitted() {
        try (DtlsLink link = link(
                client(CLIENT_CERT, SERVER_CERT).initialRetransmitTimeout(Duration.ofMillis(50)),
                server(SERVER_CERT, CLIENT_CERT).initialRetransmitTimeout(Duration.ofMillis(50)))) {
            // The first two ClientHellos and the server's whole first flight (at least one datagram) vanish.
            link.dropClientToServerFirst = 2;
            link.dropServerToClientFirst = 1;
            link.startBoth();
            link.awaitConnected();
            assertThat(link.clientSent.size()).isGreaterThanOrEqualTo(4);
            link.client.send(new byte[] {1, 2, 3});
            link.await(() -> !link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).isEmpty(), "data");
        }
    }

    @Test
    void duplicatedAndReorderedDatagramsStillConnectAndDeliverOnce() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.duplicateAndReorder = true;
            link.startBoth();
            link.awaitConnected();
            link.client.send(new byte[] {7});
            link.await(() -> !link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).isEmpty(), "data");
            link.client.send(new byte[] {8});
            link.await(() -> link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).size() >= 2, "data");
            link.client.send(new byte[] {9}); // queued behind the duplicate of 8: once 9 is in, 8's copy was seen
            link.await(() -> link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).stream()
                            .anyMatch(d -> d.data()[0] == 9), "data");
            // RFC 6347 §4.1.2.6 replay detection: the duplicate of each record is discarded.
            assertThat(link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class))
                    .extracting(d -> d.data()[0])
                    .containsExactly((byte) 7, (byte) 8, (byte) 9);
        }
    }

    @Test
    void closeNotifyFromEitherSideClosesBoth() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.startBoth();
            link.awaitConnected();
            link.client.close();
            link.await(() -> DtlsLink.terminal(link.serverEvents), "server closed");
            assertThat(link.clientEvents).contains(new DtlsOutput.DtlsClosed(false));
            assertThat(link.serverEvents).contains(new DtlsOutput.DtlsClosed(true));
            assertThat(link.server.isConnected()).isFalse();
        }
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.startBoth();
            link.awaitConnected();
            link.server.close();
            link.await(() -> DtlsLink.terminal(link.clientEvents), "client closed");
            assertThat(link.serverEvents).contains(new DtlsOutput.DtlsClosed(false));
            assertThat(link.clientEvents).contains(new DtlsOutput.DtlsClosed(true));
            assertThat(link.all(link.clientEvents, DtlsOutput.DtlsFailed.class)).isEmpty();
        }
    }

    @Test
    void recordsBeforeStartAreBufferedNotDropped() {
        // With a one-minute resend timer the client would not repeat its ClientHello within the test's bound:
        // the handshake can only complete if the server kept the one that arrived before start().
        try (DtlsLink link = link(
                client(CLIENT_CERT, SERVER_CERT).initialRetransmitTimeout(Duration.ofSeconds(60)),
                server(SERVER_CERT, CLIENT_CERT))) {
            link.client.start(T0);
            link.await(() -> !link.clientSent.isEmpty(), "ClientHello delivered");
            assertThat(link.server.droppedTotal()).isZero();
            link.server.start(T0);
            link.awaitConnected();
            assertThat(link.server.droppedTotal()).isZero();
        }
    }

    @Test
    void earlyBufferIsBounded() {
        try (DtlsLink link = link(
                client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT).earlyDatagramLimit(2))) {
            byte[] record = {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 7};
            for (int i = 0; i < 5; i++) {
                link.server.handleInput(T0, record);
            }
            assertThat(link.server.dropped(DtlsDropReason.EARLY_BUFFER_FULL)).isEqualTo(3);
        }
    }

    @Test
    void garbageIsACountedDropAndTheAssociationSurvives() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.startBoth();
            link.server.handleInput(T0, new byte[0]);
            link.server.handleInput(T0, new byte[] {22, (byte) 0xFE});
            link.server.handleInput(T0, new byte[] {0, 1, 0, 0, 0x21, 0x12, (byte) 0xA4, 0x42, 0, 0, 0, 0, 0, 0}); // STUN
            link.server.handleInput(T0, new byte[] {22, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // TLS, not DTLS
            link.server.handleInput(T0, new byte[] {23, (byte) 0xFE, (byte) 0xFD, 0, 1, 0, 0, 0, 0, 0, 9, 0, 50, 1});
            assertThat(link.server.dropped(DtlsDropReason.TRUNCATED_HEADER)).isEqualTo(2);
            assertThat(link.server.dropped(DtlsDropReason.NOT_A_DTLS_RECORD)).isEqualTo(1);
            assertThat(link.server.dropped(DtlsDropReason.UNSUPPORTED_VERSION)).isEqualTo(1);
            assertThat(link.server.dropped(DtlsDropReason.BAD_RECORD_LENGTH)).isEqualTo(1);
            link.awaitConnected();
            // Well-framed records with garbage inside reach BouncyCastle, which discards them (RFC 6347 §4.1.2.7).
            byte[] forged = new byte[13 + 40];
            RANDOM.nextBytes(forged);
            forged[0] = 23;
            forged[1] = (byte) 0xFE;
            forged[2] = (byte) 0xFD;
            forged[3] = 0;
            forged[4] = 1;
            forged[11] = 0;
            forged[12] = 40;
            for (int i = 0; i < 50; i++) {
                link.server.handleInput(T0, forged);
            }
            link.client.send(new byte[] {42});
            link.await(() -> !link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).isEmpty(), "data");
            assertThat(link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class))
                    .singleElement()
                    .satisfies(d -> assertThat(d.data()).containsExactly(42));
            assertThat(link.server.isConnected()).isTrue();
        }
    }

    @Test
    void handshakeTimesOutInTheDriversTime() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            link.client.start(T0); // the server never starts: no answer ever comes
            DtlsOutput first = link.client.pollOutput();
            while (!(first instanceof DtlsOutput.Timeout)) {
                first = link.client.pollOutput();
            }
            assertThat(((DtlsOutput.Timeout) first).at()).isEqualTo(T0.plus(DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT));
            link.client.handleTimeout(T0.plus(Duration.ofSeconds(29)));
            assertThat(DtlsLink.terminal(drain(link.client))).isFalse();
            link.client.handleTimeout(T0.plus(DtlsConfig.DEFAULT_HANDSHAKE_TIMEOUT));
            var failed = drain(link.client).stream()
                    .filter(DtlsOutput.DtlsFailed.class::isInstance)
                    .map(DtlsOutput.DtlsFailed.class::cast)
                    .toList();
            assertThat(failed).singleElement().satisfies(f -> {
                assertThat(f.reason()).contains("timed out");
                assertThat(f.alert()).isEmpty();
            });
            link.client.handleInput(T0, new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
            assertThat(link.client.dropped(DtlsDropReason.AFTER_CLOSE)).isEqualTo(1);
        }
    }

    /**
     * One lost datagram of the client's second flight, whichever message it carries (Certificate 11,
     * ClientKeyExchange 16, CertificateVerify 15): the client's retransmission completes the handshake. A lost
     * CertificateVerify followed by the ChangeCipherSpec and Finished that did arrive used to leave BouncyCastle's
     * server stuck for good (found through a lossy 100 ms path).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {11, 16, 15})
    void aLostMessageOfTheClientsSecondFlightIsRecovered(int type) {
        // small datagrams: the flight spans several, so the lost one carries only part of it
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT).initialRetransmitTimeout(Duration.ofMillis(50)).maxDatagramSize(256),
                server(SERVER_CERT, CLIENT_CERT).initialRetransmitTimeout(Duration.ofMillis(50)).maxDatagramSize(256))) {
            link.dropClientHandshakeOnce = type;
            link.startBoth();
            link.awaitConnected();
            link.await(() -> link.server.isConnected(), "server connected");
            assertThat(link.droppedHandshakes).isEqualTo(1);
            link.client.send(payload(100, 1));
            link.await(() -> link.all(link.serverEvents, DtlsOutput.ApplicationDataReceived.class).size() == 1, "data");
        }
    }

    /** Each flight leaves as one datagram (records packed, RFC 6347 §4.1.1), as BoringSSL sends them. */
    @Test
    void eachHandshakeFlightIsOneDatagram() {
        Duration noRetransmit = Duration.ofSeconds(10);
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT).initialRetransmitTimeout(noRetransmit),
                server(SERVER_CERT, CLIENT_CERT).initialRetransmitTimeout(noRetransmit))) {
            link.startBoth();
            link.awaitConnected();
            link.await(() -> link.server.isConnected(), "server connected");
            // client: ClientHello; Certificate..Finished. Server: ServerHello..ServerHelloDone; ChangeCipherSpec+Finished.
            assertThat(link.clientSent).hasSize(2);
            assertThat(link.serverSent).hasSize(2);
            assertThat(DtlsLink.carriesHandshake(link.clientSent.get(1), 15)).as("CertificateVerify in flight 5").isTrue();
            assertThat(DtlsLink.carriesHandshake(link.serverSent.get(0), 14)).as("ServerHelloDone in flight 4").isTrue();
        }
    }

    @Test
    void misuseThrows() {
        try (DtlsLink link = link(client(CLIENT_CERT, SERVER_CERT), server(SERVER_CERT, CLIENT_CERT))) {
            assertThatThrownBy(() -> link.client.send(new byte[1])).isInstanceOf(IllegalStateException.class);
            link.client.start(T0);
            assertThatThrownBy(() -> link.client.start(T0)).isInstanceOf(IllegalStateException.class);
        }
    }

    private static List<DtlsOutput> drain(DtlsEndpoint e) {
        List<DtlsOutput> out = new java.util.ArrayList<>();
        for (DtlsOutput o = e.pollOutput(); !(o instanceof DtlsOutput.Timeout); o = e.pollOutput()) {
            out.add(o);
        }
        return out;
    }

    static byte[] payload(int size, int seed) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) seed);
        for (int i = 0; i < size; i += 97) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
