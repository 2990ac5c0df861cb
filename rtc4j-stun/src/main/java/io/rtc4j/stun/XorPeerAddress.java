package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** XOR-PEER-ADDRESS (RFC 8656 §18.3). */
public record XorPeerAddress(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public XorPeerAddress {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.XOR_PEER_ADDRESS;
    }
}
