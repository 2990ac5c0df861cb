package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** XOR-RELAYED-ADDRESS (RFC 8656 §18.5). */
public record XorRelayedAddress(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public XorRelayedAddress {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.XOR_RELAYED_ADDRESS;
    }
}
