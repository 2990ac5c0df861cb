package io.rtc4j.dtls;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * BouncyCastle's lightweight crypto for the handshake (about twice as fast as its JCA flavour there), but the
 * JDK's AES-GCM for the record layer: the JCE cipher uses AES-NI and carries bulk application data (SCTP) many
 * times faster than BouncyCastle's pure-Java GCM. Only the cipher object differs; keys still come from the
 * handshake's master secret.
 */
final class HandshakeBcRecordJceCrypto extends BcTlsCrypto {
    private final JcaTlsCrypto jce;

    HandshakeBcRecordJceCrypto(SecureRandom random) {
        super(random);
        this.jce = new JcaTlsCryptoProvider().create(random);
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters parameters, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        return switch (encryptionAlgorithm) {
            case EncryptionAlgorithm.AES_128_GCM, EncryptionAlgorithm.AES_256_GCM ->
                    jce.createCipher(parameters, encryptionAlgorithm, macAlgorithm);
            default -> super.createCipher(parameters, encryptionAlgorithm, macAlgorithm);
        };
    }
}
