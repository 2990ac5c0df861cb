package io.rtc4j.stun;

/** CHANNEL-NUMBER (RFC 8656 §18.1): 16 bits; valid channels are 0x4000-0x4FFF (checked by the server, not here). */
public record ChannelNumber(int value) implements StunAttribute {
    public ChannelNumber {
        if (!(value >= 0 && value <= 0xFFFF)) {
            throw new IllegalArgumentException("ChannelNumber out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.CHANNEL_NUMBER;
    }
}
