package io.rtc4j.testkit.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;

/**
 * A throw-away self-signed certificate (CN=localhost, SAN 127.0.0.1 and ::1) as two PEM files, the form
 * coturn's and rtc4j's {@code --cert}/{@code --pkey} take. Made with the running JDK's {@code keytool}, so the
 * testkit needs neither openssl nor BouncyCastle; the key is written unencrypted as PKCS#8
 * ({@code BEGIN PRIVATE KEY}), which OpenSSL reads.
 *
 * @param certificate PEM certificate file
 * @param privateKey PEM PKCS#8 private key file
 */
public record SelfSignedCertificate(Path certificate, Path privateKey) {
    private static final char[] STORE_PASSWORD = "rtc4j-test".toCharArray();

    /** Creates (or replaces) {@code dir/cert.pem} and {@code dir/key.pem}, and a scratch keystore beside them. */
    public static SelfSignedCertificate generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Path store = dir.resolve("keystore.p12");
            Files.deleteIfExists(store);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            try (ManagedProcess p = ManagedProcess.builder(
                            keytool.toString(),
                            "-genkeypair",
                            "-alias",
                            "turn",
                            "-keyalg",
                            "RSA",
                            "-keysize",
                            "2048",
                            "-validity",
                            "30",
                            "-dname",
                            "CN=localhost",
                            "-ext",
                            "san=dns:localhost,ip:127.0.0.1,ip:::1",
                            "-storetype",
                            "PKCS12",
                            "-keystore",
                            store.toString(),
                            "-storepass",
                            new String(STORE_PASSWORD),
                            "-keypass",
                            new String(STORE_PASSWORD))
                    .name("keytool")
                    .start()) {
                int code = p.awaitExit(Duration.ofSeconds(60));
                if (code != 0) {
                    throw new IllegalStateException(p.describe("keytool failed"));
                }
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, STORE_PASSWORD);
            }
            Key k = ks.getKey("turn", STORE_PASSWORD);
            Certificate c = ks.getCertificate("turn");
            if (!(k instanceof PrivateKey pk) || c == null) {
                throw new IllegalStateException("keytool wrote no key pair to " + store);
            }
            // Write under temporary names first, so a reader never sees a half-written file.
            Path keyTmp = dir.resolve("key.pem.tmp");
            Path certTmp = dir.resolve("cert.pem.tmp");
            Files.writeString(keyTmp, pem("PRIVATE KEY", pk.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(certTmp, pem("CERTIFICATE", c.getEncoded()), StandardCharsets.US_ASCII);
            Files.move(keyTmp, key, StandardCopyOption.REPLACE_EXISTING);
            Files.move(certTmp, cert, StandardCopyOption.REPLACE_EXISTING);
            return new SelfSignedCertificate(cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
