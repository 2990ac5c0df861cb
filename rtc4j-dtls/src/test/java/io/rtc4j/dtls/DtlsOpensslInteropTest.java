package io.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.testkit.proc.FreePorts;
import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.Tools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent DTLS implementation: OpenSSL's {@code s_server}/{@code s_client -dtls1_2} over
 * loopback UDP, in both roles, with ECDSA and RSA certificates. Checks the use_srtp profile OpenSSL reports
 * and that its {@code EXTRACTOR-dtls_srtp} export equals ours byte for byte, application data both ways,
 * close_notify, and bad_certificate on a fingerprint mismatch.
 *
 * <p>OpenSSL's stdin is a FIFO the test holds open (read-write, so nobody blocks), so it never sees EOF and
 * sends its line only when the test writes it.
 */
class DtlsOpensslInteropTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern KEYING = Pattern.compile("Keying material: ([0-9A-F]+)");
    private static final Pattern PROFILE = Pattern.compile("SRTP Extension negotiated, profile=(\\S+)");

    @TempDir
    static Path dir;

    private static DtlsFingerprint opensslEcdsa;
    private static DtlsFingerprint opensslRsa;
    private final DtlsCertificate ours = DtlsCertificate.generateEcdsa(RANDOM, Instant.now());

    @BeforeAll
    static void certificates() throws Exception {
        Path openssl = Tools.require("openssl", "openssl");
        run(openssl.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", dir.resolve("ec.key").toString(), "-out", dir.resolve("ec.pem").toString(),
                "-days", "2", "-subj", "/CN=openssl-ec");
        run(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", dir.resolve("rsa.key").toString(), "-out", dir.resolve("rsa.pem").toString(),
                "-days", "2", "-subj", "/CN=openssl-rsa");
        opensslEcdsa = fingerprintOfPem(dir.resolve("ec.pem"));
        opensslRsa = fingerprintOfPem(dir.resolve("rsa.pem"));
    }

    @Test
    void rtc4jClientWithOpensslServerNegotiatesGcmAndExportsTheSameKeys() throws Exception {
        int port = FreePorts.udpAndTcp();
        try (Fifo stdin = Fifo.create(dir.resolve("server-in-" + port));
                ManagedProcess server = opensslWithStdin(stdin, "s_server", "-dtls1_2",
                        "-accept", "127.0.0.1:" + port, "-naccept", "1", "-verify", "1",
                        "-cert", dir.resolve("ec.pem").toString(), "-key", dir.resolve("ec.key").toString(),
                        "-use_srtp", "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80",
                        "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "56");
                UdpDtlsDriver us = new UdpDtlsDriver(
                        new DtlsEndpoint(DtlsConfig.builder(DtlsRole.CLIENT, ours, List.of(opensslEcdsa)).build()),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            server.awaitOutput(Pattern.compile("ACCEPT"), BOUND);
            us.endpoint.start(Instant.now());
            us.await(() -> !us.all(DtlsOutput.DtlsConnected.class).isEmpty() || failed(us), BOUND, "connected");
            var connected = us.all(DtlsOutput.DtlsConnected.class).getFirst();

            assertThat(server.awaitOutput(PROFILE, BOUND).group(1)).isEqualTo("SRTP_AEAD_AES_128_GCM");
            assertThat(connected.srtpProfile()).contains(SrtpProfile.SRTP_AEAD_AES_128_GCM);
            MatchResult keys = server.awaitOutput(KEYING, BOUND);
            assertThat(connected.keyingMaterial().orElseThrow().exportedHex().toUpperCase()).isEqualTo(keys.group(1));
            assertThat(connected.remoteFingerprint()).isEqualTo(opensslEcdsa);

            exchangeApplicationData(us, server, stdin);

            // Our close_notify ends s_server's connection (SSL_read returns 0, it shuts down its side).
            us.endpoint.close();
            us.flush();
            assertThat(us.all(DtlsOutput.DtlsClosed.class)).containsExactly(new DtlsOutput.DtlsClosed(false));
            server.awaitOutput(Pattern.compile("CONNECTION CLOSED"), BOUND);
        }
    }

    /**
     * Each AEAD suite our own record layer protects (and one CBC suite, which stays with BouncyCastle) against
     * OpenSSL's record layer: records both ways, then our close_notify, which BouncyCastle writes and we
     * re-sequence.
     */
    @ParameterizedTest
    @CsvSource({
        "ECDHE-ECDSA-AES128-GCM-SHA256, 0xC02B, true",
        "ECDHE-ECDSA-AES256-GCM-SHA384, 0xC02C, true",
        "ECDHE-ECDSA-CHACHA20-POLY1305, 0xCCA9, true",
        "ECDHE-ECDSA-AES128-SHA, 0xC009, false",
    })
    void everyRecordCipherInteroperatesWithOpenssl(String opensslCipher, String suite, boolean own) throws Exception {
        int port = FreePorts.udpAndTcp();
        try (Fifo stdin = Fifo.create(dir.resolve("cipher-in-" + port));
                ManagedProcess server = opensslWithStdin(stdin, "s_server", "-dtls1_2",
                        "-accept", "127.0.0.1:" + port, "-naccept", "1", "-verify", "1", "-cipher", opensslCipher,
                        "-cert", dir.resolve("ec.pem").toString(), "-key", dir.resolve("ec.key").toString());
                UdpDtlsDriver us = new UdpDtlsDriver(
                        new DtlsEndpoint(DtlsConfig.builder(DtlsRole.CLIENT, ours, List.of(opensslEcdsa))
                                .srtpProfiles(List.of()).build()),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            server.awaitOutput(Pattern.compile("ACCEPT"), BOUND);
            us.endpoint.start(Instant.now());
            us.await(() -> !us.all(DtlsOutput.DtlsConnected.class).isEmpty() || failed(us), BOUND, "connected");
            assertThat(us.all(DtlsOutput.DtlsConnected.class).getFirst().cipherSuite()).isEqualTo(Integer.decode(suite));
            assertThat(us.endpoint.ownRecordLayerActive()).isEqualTo(own);
            for (int i = 0; i < 3; i++) {
                us.endpoint.send(("line-" + i + "-from-rtc4j\n").getBytes(StandardCharsets.UTF_8));
                us.flush();
                server.awaitOutput(Pattern.compile("^line-" + i + "-from-rtc4j$"), BOUND);
                stdin.write("line-" + i + "-from-openssl\n");
                int want = i + 1;
                us.await(() -> us.all(DtlsOutput.ApplicationDataReceived.class).size() == want || failed(us), BOUND, "data");
                assertThat(new String(us.all(DtlsOutput.ApplicationDataReceived.class).get(i).data(), StandardCharsets.UTF_8))
                        .isEqualTo("line-" + i + "-from-openssl\n");
            }
            us.endpoint.close();
            us.flush();
            server.awaitOutput(Pattern.compile("CONNECTION CLOSED"), BOUND);
            assertThat(us.endpoint.droppedTotal()).isZero();
        }
    }

    @Test
    void rtc4jServerWithOpensslRsaClientNegotiatesCmAndExportsTheSameKeys() throws Exception {
        try (UdpDtlsDriver us = new UdpDtlsDriver(
                        new DtlsEndpoint(DtlsConfig.builder(DtlsRole.SERVER, ours, List.of(opensslRsa)).build()), null);
                Fifo stdin = Fifo.create(dir.resolve("client-in-" + us.port()));
                ManagedProcess client = opensslWithStdin(stdin, "s_client", "-dtls1_2",
                        "-connect", "127.0.0.1:" + us.port(),
                        "-cert", dir.resolve("rsa.pem").toString(), "-key", dir.resolve("rsa.key").toString(),
                        "-use_srtp", "SRTP_AES128_CM_SHA1_80",
                        "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60")) {
            us.endpoint.start(Instant.now());
            us.await(() -> !us.all(DtlsOutput.DtlsConnected.class).isEmpty() || failed(us), BOUND, "connected");
            var connected = us.all(DtlsOutput.DtlsConnected.class).getFirst();

            assertThat(client.awaitOutput(PROFILE, BOUND).group(1)).isEqualTo("SRTP_AES128_CM_SHA1_80");
            assertThat(connected.srtpProfile()).contains(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
            MatchResult keys = client.awaitOutput(KEYING, BOUND);
            assertThat(connected.keyingMaterial().orElseThrow().exportedHex().toUpperCase()).isEqualTo(keys.group(1));
            assertThat(connected.remoteFingerprint()).isEqualTo(opensslRsa);
            assertThat(client.awaitOutput(Pattern.compile("Extended master secret: (\\w+)"), BOUND).group(1))
                    .isEqualTo("yes");

            exchangeApplicationData(us, client, stdin);

            // s_client's "Q" command sends close_notify and exits.
            stdin.write("Q\n");
            us.await(() -> !us.all(DtlsOutput.DtlsClosed.class).isEmpty() || failed(us), BOUND, "closed by peer");
            assertThat(us.all(DtlsOutput.DtlsClosed.class)).containsExactly(new DtlsOutput.DtlsClosed(true));
            assertThat(client.waitFor(BOUND)).isTrue();
        }
    }

    @Test
    void rtc4jServerRejectsAnOpensslClientWithTheWrongFingerprint() throws Exception {
        DtlsFingerprint someoneElse = DtlsCertificate.generateEcdsa(RANDOM, Instant.now()).fingerprint();
        try (UdpDtlsDriver us = new UdpDtlsDriver(
                        new DtlsEndpoint(DtlsConfig.builder(DtlsRole.SERVER, ours, List.of(someoneElse)).build()), null);
                Fifo stdin = Fifo.create(dir.resolve("bad-in-" + us.port()));
                ManagedProcess client = opensslWithStdin(stdin, "s_client", "-dtls1_2",
                        "-connect", "127.0.0.1:" + us.port(),
                        "-cert", dir.resolve("ec.pem").toString(), "-key", dir.resolve("ec.key").toString(),
                        "-use_srtp", "SRTP_AEAD_AES_128_GCM")) {
            us.endpoint.start(Instant.now());
            us.await(() -> failed(us), BOUND, "failed");
            var failedEvent = us.all(DtlsOutput.DtlsFailed.class).getFirst();
            assertThat(failedEvent.alert()).contains(new DtlsAlert(DtlsAlert.BAD_CERTIFICATE, false));
            client.awaitOutput(Pattern.compile("alert bad certificate|SSL alert number 42"), BOUND);
            assertThat(us.all(DtlsOutput.DtlsConnected.class)).isEmpty();
        }
    }

    @Test
    void rtc4jClientRejectsAnOpensslServerWithTheWrongFingerprint() throws Exception {
        int port = FreePorts.udpAndTcp();
        DtlsFingerprint someoneElse = DtlsCertificate.generateEcdsa(RANDOM, Instant.now()).fingerprint();
        try (Fifo stdin = Fifo.create(dir.resolve("bad-server-in-" + port));
                ManagedProcess server = opensslWithStdin(stdin, "s_server", "-dtls1_2",
                        "-accept", "127.0.0.1:" + port, "-naccept", "1",
                        "-cert", dir.resolve("rsa.pem").toString(), "-key", dir.resolve("rsa.key").toString());
                UdpDtlsDriver us = new UdpDtlsDriver(
                        new DtlsEndpoint(DtlsConfig.builder(DtlsRole.CLIENT, ours, List.of(someoneElse)).build()),
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            server.awaitOutput(Pattern.compile("ACCEPT"), BOUND);
            us.endpoint.start(Instant.now());
            us.await(() -> failed(us), BOUND, "failed");
            assertThat(us.all(DtlsOutput.DtlsFailed.class).getFirst().alert())
                    .contains(new DtlsAlert(DtlsAlert.BAD_CERTIFICATE, false));
            server.awaitOutput(Pattern.compile("alert bad certificate|SSL alert number 42"), BOUND);
        }
    }

    private static void exchangeApplicationData(UdpDtlsDriver us, ManagedProcess openssl, Fifo stdin) throws IOException {
        us.endpoint.send("ping-from-rtc4j\n".getBytes(StandardCharsets.UTF_8));
        us.flush();
        openssl.awaitOutput(Pattern.compile("^ping-from-rtc4j$"), BOUND);
        stdin.write("hello-from-openssl\n");
        us.await(() -> !us.all(DtlsOutput.ApplicationDataReceived.class).isEmpty() || failed(us), BOUND, "data");
        assertThat(new String(us.all(DtlsOutput.ApplicationDataReceived.class).getFirst().data(), StandardCharsets.UTF_8))
                .isEqualTo("hello-from-openssl\n");
    }

    private static boolean failed(UdpDtlsDriver us) {
        return !us.all(DtlsOutput.DtlsFailed.class).isEmpty();
    }

    private static ManagedProcess opensslWithStdin(Fifo stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec openssl \"$@\" < \"$0\"", stdin.path.toString()));
        cmd.addAll(List.of(args));
        return ManagedProcess.builder(cmd).name("openssl " + args[0]).start();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + new String(out, StandardCharsets.UTF_8));
        }
    }

    private static DtlsFingerprint fingerprintOfPem(Path pem) throws IOException {
        String text = Files.readString(pem);
        String body = text.substring(
                text.indexOf("-----BEGIN CERTIFICATE-----") + 27, text.indexOf("-----END CERTIFICATE-----"));
        return DtlsFingerprint.of("sha-256", Base64.getMimeDecoder().decode(body));
    }

    /** A named pipe held open read-write by the test, so its reader never blocks on open nor sees EOF. */
    private record Fifo(Path path, RandomAccessFile handle) implements AutoCloseable {
        static Fifo create(Path path) throws Exception {
            run("mkfifo", path.toString());
            return new Fifo(path, new RandomAccessFile(path.toFile(), "rw"));
        }

        void write(String line) throws IOException {
            handle.write(line.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            handle.close();
            Files.deleteIfExists(path);
        }
    }

}
