package io.rtc4j.stun;

/** FINGERPRINT (RFC 8489 §14.7): CRC-32 of the message XOR 0x5354554E. The encoder computes it. */
public record Fingerprint(int value) implements StunAttribute {
    public Fingerprint {
        if (!(true)) {
            throw new IllegalArgumentException("Fingerprint out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.FINGERPRINT;
    }
}
