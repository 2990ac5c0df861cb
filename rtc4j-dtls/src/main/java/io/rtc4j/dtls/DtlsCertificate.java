package io.rtc4j.dtls;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.bc.BcECContentSignerBuilder;
import org.bouncycastle.operator.bc.BcRSAContentSignerBuilder;

/**
 * A self-signed certificate and its private key, the identity of a DTLS endpoint (RFC 8827 §6.5: WebRTC
 * endpoints authenticate by fingerprint, not by CA). Generated like browsers do: ECDSA P-256, CN=rtc4j, a random
 * serial, valid from a day before {@code now} (clock skew) to 30 days after. Immutable; share it freely.
 */
public final class DtlsCertificate {
    /** Browsers (Chromium's RTCCertificateGenerator) default to 30 days. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    /** The key algorithm of a certificate, which decides the cipher suites it can serve. */
    public enum KeyType {
        ECDSA,
        RSA
    }

    private final KeyType keyType;
    private final AsymmetricKeyParameter privateKey;
    private final byte[] der;
    private final Instant notAfter;

    private DtlsCertificate(KeyType keyType, AsymmetricKeyParameter privateKey, byte[] der, Instant notAfter) {
        this.keyType = keyType;
        this.privateKey = privateKey;
        this.der = der;
        this.notAfter = notAfter;
    }

    /** A new ECDSA P-256 certificate, the WebRTC default. */
    public static DtlsCertificate generateEcdsa(SecureRandom random, Instant now) {
        ECKeyPairGenerator gen = new ECKeyPairGenerator();
        gen.init(new ECKeyGenerationParameters(ECNamedDomainParameters.lookup(SECObjectIdentifiers.secp256r1), random));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        return selfSign(KeyType.ECDSA, pair, "SHA256withECDSA", random, now);
    }

    /** A new RSA-2048 certificate (what older peers use; rtc4j accepts both from peers). */
    public static DtlsCertificate generateRsa(SecureRandom random, Instant now) {
        RSAKeyPairGenerator gen = new RSAKeyPairGenerator();
        gen.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65_537), random, 2048, 100));
        AsymmetricCipherKeyPair pair = gen.generateKeyPair();
        return selfSign(KeyType.RSA, pair, "SHA256withRSA", random, now);
    }

    private static DtlsCertificate selfSign(
            KeyType type, AsymmetricCipherKeyPair pair, String signatureAlgorithm, SecureRandom random, Instant now) {
        X500Name name = new X500Name("CN=rtc4j");
        // Positive, non-zero, 63 random bits: RFC 5280 §4.1.2.2 allows up to 20 octets.
        BigInteger serial = new BigInteger(63, random).setBit(0);
        Instant notBefore = now.minus(Duration.ofDays(1));
        Instant notAfter = now.plus(DEFAULT_VALIDITY);
        try {
            X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                    name,
                    serial,
                    Date.from(notBefore),
                    Date.from(notAfter),
                    name,
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pair.getPublic()));
            AlgorithmIdentifier sigAlg = new DefaultSignatureAlgorithmIdentifierFinder().find(signatureAlgorithm);
            AlgorithmIdentifier digAlg = new DefaultDigestAlgorithmIdentifierFinder().find(sigAlg);
            ContentSigner signer = type == KeyType.ECDSA
                    ? new BcECContentSignerBuilder(sigAlg, digAlg).build(pair.getPrivate())
                    : new BcRSAContentSignerBuilder(sigAlg, digAlg).build(pair.getPrivate());
            byte[] der = builder.build(signer).getEncoded();
            return new DtlsCertificate(type, pair.getPrivate(), der, notAfter);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot sign a certificate with " + signatureAlgorithm, e);
        }
    }

    public KeyType keyType() {
        return keyType;
    }

    /** The DER encoding of the certificate. */
    public byte[] der() {
        return der.clone();
    }

    public Instant notAfter() {
        return notAfter;
    }

    /** The SHA-256 fingerprint for {@code a=fingerprint} (RFC 8122; what browsers send). */
    public DtlsFingerprint fingerprint() {
        return DtlsFingerprint.of("sha-256", der);
    }

    /** The fingerprint with another hash function ({@code sha-1} ... {@code sha-512}). */
    public DtlsFingerprint fingerprint(String hashFunction) {
        return DtlsFingerprint.of(hashFunction, der);
    }

    /** PEM of the certificate (for external tools and logs). */
    public String certificatePem() {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    AsymmetricKeyParameter privateKey() {
        return privateKey;
    }

    byte[] derView() {
        return der;
    }

    @Override
    public String toString() {
        return "DtlsCertificate[" + keyType + ", " + fingerprint() + "]";
    }
}
