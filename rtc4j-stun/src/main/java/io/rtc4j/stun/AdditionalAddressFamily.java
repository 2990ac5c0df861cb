package io.rtc4j.stun;

import java.util.Optional;

/** ADDITIONAL-ADDRESS-FAMILY (RFC 8656 §18.11): asks for an IPv6 relay beside the IPv4 one; unknown codes kept for a 440. */
public record AdditionalAddressFamily(int code) implements StunAttribute {
    public AdditionalAddressFamily {
        if (code < 0 || code > 0xFF) {
            throw new IllegalArgumentException("an address family code is a byte: " + code);
        }
    }

    public static AdditionalAddressFamily of(AddressFamily family) {
        return new AdditionalAddressFamily(family.code());
    }

    /** Empty when the code names no family this codec knows. */
    public Optional<AddressFamily> family() {
        return Optional.ofNullable(AddressFamily.ofCode(code));
    }

    @Override
    public int type() {
        return AttributeType.ADDITIONAL_ADDRESS_FAMILY;
    }
}
