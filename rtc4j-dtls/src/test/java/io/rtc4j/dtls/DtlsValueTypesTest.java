package io.rtc4j.dtls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The small pieces: a=setup roles, fingerprints, SRTP key split, record framing, certificates, config checks. */
class DtlsValueTypesTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");

    @Test
    void setupRolesFollowRfc8842() {
        assertThat(DtlsSetup.offer()).isEqualTo(DtlsSetup.ACTPASS);
        assertThat(DtlsSetup.answerTo(DtlsSetup.ACTPASS)).isEqualTo(DtlsSetup.ACTIVE);
        assertThat(DtlsSetup.answerTo(DtlsSetup.ACTIVE)).isEqualTo(DtlsSetup.PASSIVE);
        assertThat(DtlsSetup.answerTo(DtlsSetup.PASSIVE)).isEqualTo(DtlsSetup.ACTIVE);
        assertThat(DtlsSetup.answererRole(DtlsSetup.ACTPASS)).isEqualTo(DtlsRole.CLIENT);
        assertThat(DtlsSetup.answererRole(DtlsSetup.ACTIVE)).isEqualTo(DtlsRole.SERVER);
        assertThat(DtlsSetup.offererRole(DtlsSetup.ACTIVE)).isEqualTo(DtlsRole.SERVER);
        assertThat(DtlsSetup.offererRole(DtlsSetup.PASSIVE)).isEqualTo(DtlsRole.CLIENT);
        assertThatThrownBy(() -> DtlsSetup.offererRole(DtlsSetup.ACTPASS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsSetup.answerTo(DtlsSetup.HOLDCONN)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DtlsSetup.parse(" ActPass ")).isEqualTo(DtlsSetup.ACTPASS);
        assertThatThrownBy(() -> DtlsSetup.parse("both")).isInstanceOf(IllegalArgumentException.class);
        // Both sides agree: the answerer's role is the opposite of the offerer's for every offer.
        for (DtlsSetup answer : List.of(DtlsSetup.ACTIVE, DtlsSetup.PASSIVE)) {
            assertThat(answer.localRole()).isNotEqualTo(DtlsSetup.offererRole(answer));
        }
    }

    @Test
    void fingerprintsParseFormatAndMatch() {
        DtlsCertificate cert = DtlsCertificate.generateEcdsa(RANDOM, NOW);
        DtlsFingerprint f = cert.fingerprint();
        assertThat(f.hashFunction()).isEqualTo("sha-256");
        assertThat(f.toAttributeValue()).matches("sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(DtlsFingerprint.parse(f.toAttributeValue())).isEqualTo(f);
        assertThat(DtlsFingerprint.parse(f.toAttributeValue().toLowerCase().replace("sha-256", "SHA-256"))).isEqualTo(f);
        assertThat(f.matches(cert.der())).isTrue();
        assertThat(f.matches(DtlsCertificate.generateEcdsa(RANDOM, NOW).der())).isFalse();
        for (String h : List.of("sha-1", "sha-224", "sha-384", "sha-512")) {
            assertThat(DtlsFingerprint.parse(cert.fingerprint(h).toAttributeValue()).matches(cert.der())).isTrue();
        }
        assertThatThrownBy(() -> DtlsFingerprint.parse("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 AB:CD")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256 " + "ZZ:".repeat(31) + "ZZ"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsFingerprint.parse("sha-256")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyingMaterialSplitsInRfc5764Order() {
        byte[] raw = new byte[60];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) i;
        }
        SrtpKeyingMaterial m = SrtpKeyingMaterial.split(SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80, raw);
        // client_key(16) server_key(16) client_salt(14) server_salt(14)
        assertThat(m.clientKey()[0]).isEqualTo((byte) 0);
        assertThat(m.serverKey()[0]).isEqualTo((byte) 16);
        assertThat(m.clientSalt()[0]).isEqualTo((byte) 32);
        assertThat(m.serverSalt()[0]).isEqualTo((byte) 46);
        assertThat(m.serverSalt()).hasSize(14);
        assertThat(m.exported()).isEqualTo(raw);
        assertThat(m.toString()).doesNotContain("00010203");
        SrtpKeyingMaterial g = SrtpKeyingMaterial.split(SrtpProfile.SRTP_AEAD_AES_128_GCM, java.util.Arrays.copyOf(raw, 56));
        assertThat(g.clientSalt()).hasSize(12);
        assertThat(g.serverSalt()[0]).isEqualTo((byte) 44);
        assertThatThrownBy(() -> SrtpKeyingMaterial.split(SrtpProfile.SRTP_AEAD_AES_128_GCM, raw))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SrtpProfile.fromId(0x0007)).contains(SrtpProfile.SRTP_AEAD_AES_128_GCM);
        assertThat(SrtpProfile.fromId(0x0002)).isEmpty();
    }

    @Test
    void recordSnifferAcceptsOnlyWellFramedDtlsRecords() {
        byte[] two = HexFormat.of().parseHex("16fefd000000000000000000020102" + "14fefd0001000000000000000101");
        assertThat(DtlsRecordSniffer.check(two, 0, two.length)).isEmpty();
        assertThat(DtlsRecordSniffer.check(two, 0, two.length - 1)).contains(DtlsDropReason.BAD_RECORD_LENGTH);
        assertThat(DtlsRecordSniffer.check(two, 0, 20)).contains(DtlsDropReason.TRUNCATED_HEADER);
        byte[] dtls10 = HexFormat.of().parseHex("16feff00000000000000000000");
        assertThat(DtlsRecordSniffer.check(dtls10, 0, dtls10.length)).isEmpty();
        byte[] cid = HexFormat.of().parseHex("19fefd00000000000000000000");
        assertThat(DtlsRecordSniffer.check(cid, 0, cid.length)).contains(DtlsDropReason.NOT_A_DTLS_RECORD);
        byte[] dtls13 = HexFormat.of().parseHex("16fefc00000000000000000000");
        assertThat(DtlsRecordSniffer.check(dtls13, 0, dtls13.length)).contains(DtlsDropReason.UNSUPPORTED_VERSION);
        assertThat(DtlsRecordSniffer.looksLikeDtls((byte) 20)).isTrue();
        assertThat(DtlsRecordSniffer.looksLikeDtls((byte) 63)).isTrue();
        assertThat(DtlsRecordSniffer.looksLikeDtls((byte) 64)).isFalse();
        assertThat(DtlsRecordSniffer.looksLikeDtls((byte) 0)).isFalse();
        assertThatThrownBy(() -> DtlsRecordSniffer.check(two, 5, two.length)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatedCertificatesLookLikeBrowsers() throws Exception {
        DtlsCertificate a = DtlsCertificate.generateEcdsa(RANDOM, NOW);
        DtlsCertificate b = DtlsCertificate.generateEcdsa(RANDOM, NOW);
        X509Certificate x = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(a.der()));
        X509Certificate y = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(b.der()));
        assertThat(x.getSubjectX500Principal().getName()).isEqualTo("CN=rtc4j");
        assertThat(x.getPublicKey()).isInstanceOf(ECPublicKey.class);
        assertThat(((ECPublicKey) x.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
        assertThat(x.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(Duration.between(NOW, x.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(30));
        assertThat(x.getNotBefore().toInstant()).isBefore(NOW);
        x.verify(x.getPublicKey()); // self-signed
        assertThat(x.getSerialNumber().signum()).isPositive();
        assertThat(x.getSerialNumber()).isNotEqualTo(y.getSerialNumber());
        assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint());
        assertThat(a.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void configIsValidatedOnce() {
        DtlsCertificate cert = DtlsCertificate.generateEcdsa(RANDOM, NOW);
        List<DtlsFingerprint> fps = List.of(cert.fingerprint());
        assertThatThrownBy(() -> DtlsConfig.builder(DtlsRole.CLIENT, cert, List.of()).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsConfig.builder(DtlsRole.CLIENT, cert, fps).maxDatagramSize(100).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsConfig.builder(DtlsRole.CLIENT, cert, fps)
                        .srtpProfiles(List.of(SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AEAD_AES_128_GCM))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DtlsConfig.builder(DtlsRole.CLIENT, cert, fps)
                        .handshakeTimeout(Duration.ofMillis(1))
                        .build())
                .isInstanceOf(IllegalArgumentException.class);
        DtlsConfig ok = DtlsConfig.builder(DtlsRole.SERVER, cert, fps).build();
        assertThat(ok.srtpProfiles()).containsExactly(SrtpProfile.SRTP_AEAD_AES_128_GCM, SrtpProfile.SRTP_AES128_CM_HMAC_SHA1_80);
        assertThat(ok.initialRetransmitTimeout()).isEqualTo(DtlsConfig.DEFAULT_INITIAL_RETRANSMIT);
    }
}
