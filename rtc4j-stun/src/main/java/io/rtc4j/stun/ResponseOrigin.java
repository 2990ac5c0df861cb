package io.rtc4j.stun;

import java.net.InetSocketAddress;
import java.util.Objects;

/** RESPONSE-ORIGIN (RFC 5780 §7.3). */
public record ResponseOrigin(InetSocketAddress address) implements StunAttribute.AddressAttribute {
    public ResponseOrigin {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("an address attribute needs a resolved address: " + address);
        }
    }

    @Override
    public int type() {
        return AttributeType.RESPONSE_ORIGIN;
    }
}
