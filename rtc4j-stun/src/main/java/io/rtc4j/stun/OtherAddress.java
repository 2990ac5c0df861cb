package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** OTHER-ADDRESS (RFC 5780 §7.4). */
public record OtherAddress(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public OtherAddress {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.OTHER_ADDRESS;
    }
}
