package io.rtc4j.dtls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ExporterLabel;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * What the WebRTC client and server peers share: cipher suites, the fingerprint check, our signing credentials
 * and the use_srtp choice. Lives on the handshake thread; results are read by the endpoint after it completes.
 */
final class HandshakePolicy {
    /** Browser order: ECDHE with AES-GCM first, then ChaCha20, then CBC for old peers (RFC 8827 §6.5). */
    private static final int[] CIPHER_SUITES = {
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    };

    final DtlsConfig config;
    final BcTlsCrypto crypto;
    private final org.bouncycastle.tls.Certificate ownChain;
    // Written on the handshake thread before connect()/accept() returns, read after: happens-before via the
    // endpoint's volatile state.
    private byte[] remoteCertificate;
    private SrtpProfile selectedProfile;
    private SrtpKeyingMaterial keyingMaterial;
    private int cipherSuite = -1;
    private RecordKeys recordKeys;

    HandshakePolicy(DtlsConfig config, BcTlsCrypto crypto) {
        this.config = config;
        this.crypto = crypto;
        TlsCertificate own;
        try {
            own = crypto.createCertificate(config.certificate().derView());
        } catch (IOException e) {
            throw new IllegalArgumentException("BouncyCastle cannot parse our own certificate", e);
        }
        this.ownChain = new org.bouncycastle.tls.Certificate(new TlsCertificate[] {own});
    }

    /** Client: all suites BC's crypto supports. Server: only those our certificate's key can sign. */
    int[] cipherSuites(boolean server) {
        int[] supported = TlsUtils.getSupportedCipherSuites(crypto, CIPHER_SUITES);
        if (!server) {
            return supported;
        }
        int wanted = config.certificate().keyType() == DtlsCertificate.KeyType.ECDSA
                ? KeyExchangeAlgorithm.ECDHE_ECDSA
                : KeyExchangeAlgorithm.ECDHE_RSA;
        List<Integer> out = new ArrayList<>();
        for (int suite : supported) {
            if (TlsUtils.getKeyExchangeAlgorithm(suite) == wanted) {
                out.add(suite);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * RFC 8122 §5, RFC 8827 §6.5: the leaf certificate must match one signalled fingerprint (of those with a hash
     * we support); otherwise bad_certificate. No CA or validity checks: WebRTC certificates are self-signed.
     */
    void verifyPeer(Certificate chain) throws IOException {
        if (chain == null || chain.isEmpty()) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "the peer sent no certificate");
        }
        byte[] der = chain.getCertificateAt(0).getEncoded();
        for (DtlsFingerprint expected : config.remoteFingerprints()) {
            if (DtlsFingerprint.supports(expected.hashFunction()) && expected.matches(der)) {
                remoteCertificate = der;
                return;
            }
        }
        throw new TlsFatalAlert(
                AlertDescription.bad_certificate,
                "certificate " + DtlsFingerprint.of("sha-256", der) + " matches no a=fingerprint");
    }

    /** Our certificate and key, signing with SHA-256 if the peer accepts it (it always does in practice). */
    TlsCredentialedSigner signer(TlsContext context, Vector<?> peerSignatureAlgorithms) {
        short signature = config.certificate().keyType() == DtlsCertificate.KeyType.ECDSA
                ? SignatureAlgorithm.ecdsa
                : SignatureAlgorithm.rsa;
        SignatureAndHashAlgorithm chosen = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, signature);
        if (peerSignatureAlgorithms != null && !peerSignatureAlgorithms.contains(chosen)) {
            for (Object o : peerSignatureAlgorithms) {
                SignatureAndHashAlgorithm a = (SignatureAndHashAlgorithm) o;
                if (a.getSignature() == signature) {
                    chosen = a;
                    break;
                }
            }
        }
        return new BcDefaultTlsCredentialedSigner(
                new TlsCryptoParameters(context), crypto, config.certificate().privateKey(), ownChain, chosen);
    }

    /** Server side of RFC 5764 §4.1.1: our most preferred profile the client offered, or null. */
    SrtpProfile chooseProfile(int[] offered) {
        for (SrtpProfile ours : config.srtpProfiles()) {
            for (int id : offered) {
                if (id == ours.id()) {
                    return ours;
                }
            }
        }
        return null;
    }

    int[] offeredProfileIds() {
        return config.srtpProfiles().stream().mapToInt(SrtpProfile::id).toArray();
    }

    void selectedProfile(SrtpProfile profile) {
        this.selectedProfile = profile;
    }

    SrtpProfile selectedProfile() {
        return selectedProfile;
    }

    /** Called from notifyHandshakeComplete, the only moment BouncyCastle allows the export. */
    void handshakeCompleted(TlsContext context) {
        cipherSuite = context.getSecurityParametersConnection().getCipherSuite();
        if (config.ownRecordLayer()) {
            recordKeys = RecordKeys.derive(context).orElse(null);
        }
        if (selectedProfile != null) {
            // RFC 5764 §4.2: EXTRACTOR-dtls_srtp, no context value, 2 * (key + salt) bytes.
            byte[] exported = context.exportKeyingMaterial(
                    ExporterLabel.dtls_srtp, null, selectedProfile.keyingMaterialLength());
            keyingMaterial = SrtpKeyingMaterial.split(selectedProfile, exported);
        }
    }

    SrtpKeyingMaterial keyingMaterial() {
        return keyingMaterial;
    }

    /** Epoch 1's keys for {@link ApplicationRecords}, or null (CBC suite, or the endpoint keeps BouncyCastle's). */
    RecordKeys recordKeys() {
        return recordKeys;
    }

    int cipherSuite() {
        return cipherSuite;
    }

    byte[] remoteCertificate() {
        return remoteCertificate;
    }
}
