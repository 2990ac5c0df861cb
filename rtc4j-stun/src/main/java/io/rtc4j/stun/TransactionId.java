package io.rtc4j.stun;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/** The 96-bit STUN transaction id (RFC 8489 §5), held as two numbers so equality is by value. */
public record TransactionId(long high, int low) {
    public static final int LENGTH = 12;

    public static TransactionId random(RandomGenerator random) {
        return new TransactionId(random.nextLong(), random.nextInt());
    }

    public static TransactionId read(ByteBuffer in) {
        return new TransactionId(in.getLong(), in.getInt());
    }

    public static TransactionId of(byte[] twelveBytes) {
        if (twelveBytes.length != LENGTH) {
            throw new IllegalArgumentException("a transaction id has 12 bytes, got " + twelveBytes.length);
        }
        return read(ByteBuffer.wrap(twelveBytes));
    }

    public void write(ByteBuffer out) {
        out.putLong(high).putInt(low);
    }

    public byte[] toBytes() {
        byte[] b = new byte[LENGTH];
        write(ByteBuffer.wrap(b));
        return b;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(toBytes());
    }
}
