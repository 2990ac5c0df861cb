package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** MAPPED-ADDRESS (RFC 8489 §14.1): kept for RFC 3489 era clients. */
public record MappedAddress(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public MappedAddress {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.MAPPED_ADDRESS;
    }
}
