package io.rtc4j.stun;

import java.util.Optional;

/** REQUESTED-ADDRESS-FAMILY (RFC 8656 §18.6). An unknown code is kept so the server can answer 440. */
public record RequestedAddressFamily(int code) implements StunAttribute {
    public RequestedAddressFamily {
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("an address family code is a byte: " + code);
        }
    }

    public static RequestedAddressFamily of(AddressFamily family) {
        return new RequestedAddressFamily(family.code());
    }

    /** Empty when the code names no family this codec knows. */
    public Optional<AddressFamily> family() {
        return Optional.ofNullable(AddressFamily.ofCode(code));
    }

    @Override
    public int type() {
        return AttributeType.REQUESTED_ADDRESS_FAMILY;
    }
}
