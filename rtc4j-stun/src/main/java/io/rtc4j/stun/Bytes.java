package io.rtc4j.stun;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/** An immutable byte string with value equality, for attribute values that are opaque bytes. */
public final class Bytes {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    /** Copies {@code data}. */
    public static Bytes of(byte[] data) {
        return new Bytes(data.clone());
    }

    /** Copies the remaining bytes of {@code in} without moving its position. */
    public static Bytes of(ByteBuffer in) {
        byte[] b = new byte[in.remaining()];
        in.duplicate().get(b);
        return new Bytes(b);
    }

    public static Bytes ofHex(String hex) {
        return new Bytes(HexFormat.of().parseHex(hex));
    }

    public int length() {
        return data.length;
    }

    public byte get(int i) {
        return data[i];
    }

    public byte[] toArray() {
        return data.clone();
    }

    public void writeTo(ByteBuffer out) {
        out.put(data);
    }

    public ByteBuffer asReadOnlyBuffer() {
        return ByteBuffer.wrap(data).asReadOnlyBuffer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return data.length <= 64 ? HexFormat.of().formatHex(data) : data.length + " bytes";
    }
}
