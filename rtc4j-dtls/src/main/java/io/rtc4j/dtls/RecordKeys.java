package io.rtc4j.dtls;

import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * Epoch 1's record keys, split from the key block (RFC 5246 §6.3: PRF(master_secret, "key expansion",
 * server_random + client_random)) the handshake just agreed, so the endpoint can protect application data
 * itself. Empty for suites {@link RecordSuite} does not cover.
 */
record RecordKeys(RecordSuite suite, byte[] clientKey, byte[] serverKey, byte[] clientIv, byte[] serverIv) {

    /** Called where BouncyCastle still holds the master secret: in notifyHandshakeComplete. */
    static Optional<RecordKeys> derive(TlsContext context) {
        SecurityParameters sp = context.getSecurityParametersConnection();
        Optional<RecordSuite> suite = RecordSuite.of(sp.getCipherSuite());
        TlsSecret master = sp.getMasterSecret();
        if (suite.isEmpty() || master == null || !master.isAlive()) {
            return Optional.empty();
        }
        RecordSuite s = suite.get();
        byte[] seed = new byte[64];
        System.arraycopy(sp.getServerRandom(), 0, seed, 0, 32);
        System.arraycopy(sp.getClientRandom(), 0, seed, 32, 32);
        byte[] block = TlsUtils.PRF(sp, master, "key expansion", seed, s.keyBlockLength()).extract();
        int k = s.keyLength(), iv = s.fixedIvLength();
        return Optional.of(new RecordKeys(s,
                Arrays.copyOfRange(block, 0, k),
                Arrays.copyOfRange(block, k, 2 * k),
                Arrays.copyOfRange(block, 2 * k, 2 * k + iv),
                Arrays.copyOfRange(block, 2 * k + iv, 2 * k + 2 * iv)));
    }

    RecordCipher writer(DtlsRole role) {
        return role == DtlsRole.CLIENT ? new RecordCipher(suite, clientKey, clientIv) : new RecordCipher(suite, serverKey, serverIv);
    }

    RecordCipher reader(DtlsRole role) {
        return role == DtlsRole.CLIENT ? new RecordCipher(suite, serverKey, serverIv) : new RecordCipher(suite, clientKey, clientIv);
    }
}
