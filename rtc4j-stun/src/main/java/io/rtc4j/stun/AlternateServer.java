package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** ALTERNATE-SERVER (RFC 8489 §14.15). */
public record AlternateServer(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public AlternateServer {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.ALTERNATE_SERVER;
    }
}
