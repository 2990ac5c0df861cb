package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** XOR-MAPPED-ADDRESS (RFC 8489 §14.2). */
public record XorMappedAddress(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public XorMappedAddress {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.XOR_MAPPED_ADDRESS;
    }
}
