package io.rtc4j.stun;

import java.net.InetSocketAddress;

/**
 * A decoded STUN attribute (RFC 8489 §14). Immutable; the codec is {@link StunAttributeCodec}. Switch over
 * the permitted records with pattern matching.
 */
public sealed interface StunAttribute
        permits StunAttribute.AddressAttribute,
                StunAttribute.TextAttribute,
                AddressErrorCode,
                AdditionalAddressFamily,
                ChannelNumber,
                ConnectionId,
                Data,
                DontFragment,
                ErrorCode,
                EvenPort,
                Fingerprint,
                Icmp,
                IceControlled,
                IceControlling,
                Lifetime,
                MessageIntegrity,
                MessageIntegritySha256,
                PasswordAlgorithm,
                PasswordAlgorithms,
                Priority,
                RequestedAddressFamily,
                RequestedTransport,
                ReservationToken,
                UnknownAttribute,
                UnknownAttributes,
                UseCandidate,
                UserHash {

    /** The 16-bit attribute type. */
    int type();

    /** Attributes whose value is a transport address (plain or XOR-ed on the wire). */
    sealed interface AddressAttribute extends StunAttribute
            permits MappedAddress,
                    XorMappedAddress,
                    XorPeerAddress,
                    XorRelayedAddress,
                    AlternateServer,
                    ResponseOrigin,
                    OtherAddress {
        InetSocketAddress address();
    }

    /** Attributes whose value is UTF-8 text. */
    sealed interface TextAttribute extends StunAttribute
            permits Username, Realm, Nonce, Software, AlternateDomain {
        String value();
    }
}
