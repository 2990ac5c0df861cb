package io.rtc4j.dtls;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SRTP master keys and salts exported from a DTLS association (RFC 5764 §4.2): the exporter output
 * {@code client_write_SRTP_master_key | server_write_SRTP_master_key | client_write_SRTP_master_salt |
 * server_write_SRTP_master_salt}, split per the negotiated profile. The client encrypts with the client key,
 * the server with the server key. Arrays are copied in and out.
 */
public record SrtpKeyingMaterial(
        SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

    public SrtpKeyingMaterial {
        if (clientKey.length != profile.keyLength() || serverKey.length != profile.keyLength()) {
            throw new IllegalArgumentException("key length must be " + profile.keyLength());
        }
        if (clientSalt.length != profile.saltLength() || serverSalt.length != profile.saltLength()) {
            throw new IllegalArgumentException("salt length must be " + profile.saltLength());
        }
        clientKey = clientKey.clone();
        clientSalt = clientSalt.clone();
        serverKey = serverKey.clone();
        serverSalt = serverSalt.clone();
    }

    /** Splits the raw exporter output (RFC 5764 §4.2 order) of {@link SrtpProfile#keyingMaterialLength()} bytes. */
    public static SrtpKeyingMaterial split(SrtpProfile profile, byte[] exported) {
        if (exported.length != profile.keyingMaterialLength()) {
            throw new IllegalArgumentException(
                    "expected " + profile.keyingMaterialLength() + " bytes, got " + exported.length);
        }
        int k = profile.keyLength();
        int s = profile.saltLength();
        return new SrtpKeyingMaterial(
                profile,
                Arrays.copyOfRange(exported, 0, k),
                Arrays.copyOfRange(exported, 2 * k, 2 * k + s),
                Arrays.copyOfRange(exported, k, 2 * k),
                Arrays.copyOfRange(exported, 2 * k + s, 2 * k + 2 * s));
    }

    /** The exporter output again, in RFC 5764 §4.2 order (for comparing with other implementations). */
    public byte[] exported() {
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] out = new byte[profile.keyingMaterialLength()];
        System.arraycopy(clientKey, 0, out, 0, k);
        System.arraycopy(serverKey, 0, out, k, k);
        System.arraycopy(clientSalt, 0, out, 2 * k, s);
        System.arraycopy(serverSalt, 0, out, 2 * k + s, s);
        return out;
    }

    @Override
    public byte[] clientKey() {
        return clientKey.clone();
    }

    @Override
    public byte[] clientSalt() {
        return clientSalt.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public byte[] serverSalt() {
        return serverSalt.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SrtpKeyingMaterial m && m.profile == profile && Arrays.equals(m.exported(), exported());
    }

    @Override
    public int hashCode() {
        return profile.hashCode() * 31 + Arrays.hashCode(exported());
    }

    /** Names the profile only: keys stay out of logs. */
    @Override
    public String toString() {
        return "SrtpKeyingMaterial[" + profile + ", " + profile.keyingMaterialLength() + " bytes]";
    }

    /** Hex of {@link #exported()}, for tests and interop checks. */
    public String exportedHex() {
        return HexFormat.of().formatHex(exported());
    }
}
