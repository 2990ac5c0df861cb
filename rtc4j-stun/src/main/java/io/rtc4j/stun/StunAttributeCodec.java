package io.rtc4j.stun;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Stateless codec for attribute values (RFC 8489 §14, RFC 8656 §18, RFC 8445 §16.1). */
public final class StunAttributeCodec {
    private StunAttributeCodec() {}

    /**
     * Decodes one attribute value. {@code value} holds exactly the value bytes (no padding); {@code tid} is
     * needed for the XOR address attributes.
     */
    public static StunAttribute decode(int type, ByteBuffer value, TransactionId tid) throws StunParseException {
        try {
            return switch (type) {
                case AttributeType.MAPPED_ADDRESS -> new MappedAddress(address(value, null, "MAPPED-ADDRESS"));
                case AttributeType.XOR_MAPPED_ADDRESS -> new XorMappedAddress(address(value, tid, "XOR-MAPPED-ADDRESS"));
                case AttributeType.XOR_PEER_ADDRESS -> new XorPeerAddress(address(value, tid, "XOR-PEER-ADDRESS"));
                case AttributeType.XOR_RELAYED_ADDRESS ->
                    new XorRelayedAddress(address(value, tid, "XOR-RELAYED-ADDRESS"));
                case AttributeType.ALTERNATE_SERVER -> new AlternateServer(address(value, null, "ALTERNATE-SERVER"));
                case AttributeType.RESPONSE_ORIGIN -> new ResponseOrigin(address(value, null, "RESPONSE-ORIGIN"));
                case AttributeType.OTHER_ADDRESS -> new OtherAddress(address(value, null, "OTHER-ADDRESS"));
                case AttributeType.USERNAME -> new Username(text(value));
                case AttributeType.REALM -> new Realm(text(value));
                case AttributeType.NONCE -> new Nonce(text(value));
                case AttributeType.SOFTWARE -> new Software(text(value));
                case AttributeType.ALTERNATE_DOMAIN -> new AlternateDomain(text(value));
                case AttributeType.MESSAGE_INTEGRITY -> new MessageIntegrity(Bytes.of(value));
                case AttributeType.MESSAGE_INTEGRITY_SHA256 -> new MessageIntegritySha256(Bytes.of(value));
                case AttributeType.USERHASH -> new UserHash(Bytes.of(value));
                case AttributeType.DATA -> new Data(Bytes.of(value));
                case AttributeType.FINGERPRINT -> new Fingerprint(int32(value, "FINGERPRINT"));
                case AttributeType.PRIORITY -> new Priority(uint32(value, "PRIORITY"));
                case AttributeType.LIFETIME -> new Lifetime(uint32(value, "LIFETIME"));
                case AttributeType.CONNECTION_ID -> new ConnectionId(uint32(value, "CONNECTION-ID"));
                case AttributeType.ICE_CONTROLLED -> new IceControlled(int64(value, "ICE-CONTROLLED"));
                case AttributeType.ICE_CONTROLLING -> new IceControlling(int64(value, "ICE-CONTROLLING"));
                case AttributeType.RESERVATION_TOKEN -> new ReservationToken(int64(value, "RESERVATION-TOKEN"));
                case AttributeType.CHANNEL_NUMBER -> new ChannelNumber((int) (uint32(value, "CHANNEL-NUMBER") >>> 16));
                // RFC 8656 §18.7: protocol in the first byte, 24 bits RFFU
                case AttributeType.REQUESTED_TRANSPORT ->
                    new RequestedTransport((int) (uint32(value, "REQUESTED-TRANSPORT") >>> 24));
                case AttributeType.REQUESTED_ADDRESS_FAMILY ->
                    new RequestedAddressFamily((int) (uint32(value, "REQUESTED-ADDRESS-FAMILY") >>> 24));
                case AttributeType.ADDITIONAL_ADDRESS_FAMILY ->
                    new AdditionalAddressFamily((int) (uint32(value, "ADDITIONAL-ADDRESS-FAMILY") >>> 24));
                case AttributeType.EVEN_PORT -> {
                    expect(value, 1, "EVEN-PORT");
                    yield new EvenPort((value.get() & 0x80) != 0);
                }
                case AttributeType.DONT_FRAGMENT -> {
                    expect(value, 0, "DONT-FRAGMENT");
                    yield DontFragment.INSTANCE;
                }
                case AttributeType.USE_CANDIDATE -> {
                    expect(value, 0, "USE-CANDIDATE");
                    yield UseCandidate.INSTANCE;
                }
                case AttributeType.ERROR_CODE -> errorCode(value);
                case AttributeType.ADDRESS_ERROR_CODE -> addressErrorCode(value);
                case AttributeType.UNKNOWN_ATTRIBUTES -> unknownAttributes(value);
                case AttributeType.PASSWORD_ALGORITHM -> passwordAlgorithm(value);
                case AttributeType.PASSWORD_ALGORITHMS -> {
                    List<PasswordAlgorithm> list = new ArrayList<>();
                    while (value.hasRemaining()) {
                        list.add(passwordAlgorithm(value));
                    }
                    yield new PasswordAlgorithms(list);
                }
                case AttributeType.ICMP -> {
                    expect(value, 8, "ICMP");
                    value.getShort(); // reserved
                    yield new Icmp(value.get() & 0xFF, value.get() & 0xFF, value.getInt());
                }
                default -> new UnknownAttribute(type, Bytes.of(value));
            };
        } catch (IllegalArgumentException e) {
            // a record rejected the value (length, range): malformed input, not a bug
            throw new StunParseException(e.getMessage());
        }
    }

    /** Writes type, length, value and zero padding to a multiple of 4 (RFC 8489 §14). */
    public static void encode(StunAttribute attribute, ByteBuffer out, TransactionId tid) {
        encode(attribute, out, tid, (byte) 0);
    }

    /** As above with a chosen padding byte: RFC 8489 lets senders pad with anything (RFC 5769 uses spaces). */
    static void encode(StunAttribute attribute, ByteBuffer out, TransactionId tid, byte padByte) {
        int start = out.position();
        out.putShort((short) attribute.type()).putShort((short) 0);
        writeValue(attribute, out, tid);
        int length = out.position() - start - 4;
        if (length > 0xFFFF) {
            throw new IllegalArgumentException("attribute value too long: " + length);
        }
        out.putShort(start + 2, (short) length);
        for (int pad = (4 - (length & 3)) & 3; pad > 0; pad--) {
            out.put(padByte);
        }
    }

    private static void writeValue(StunAttribute attribute, ByteBuffer out, TransactionId tid) {
        switch (attribute) {
            case XorMappedAddress a -> writeAddress(a.address(), out, tid);
            case XorPeerAddress a -> writeAddress(a.address(), out, tid);
            case XorRelayedAddress a -> writeAddress(a.address(), out, tid);
            case StunAttribute.AddressAttribute a -> writeAddress(a.address(), out, null);
            case StunAttribute.TextAttribute t -> out.put(t.value().getBytes(StandardCharsets.UTF_8));
            case MessageIntegrity m -> m.value().writeTo(out);
            case MessageIntegritySha256 m -> m.value().writeTo(out);
            case UserHash u -> u.value().writeTo(out);
            case Data d -> d.value().writeTo(out);
            case Fingerprint f -> out.putInt(f.value());
            case Priority p -> out.putInt((int) p.value());
            case Lifetime l -> out.putInt((int) l.value());
            case ConnectionId c -> out.putInt((int) c.value());
            case IceControlled c -> out.putLong(c.value());
            case IceControlling c -> out.putLong(c.value());
            case ReservationToken r -> out.putLong(r.value());
            case ChannelNumber c -> out.putShort((short) c.value()).putShort((short) 0);
            case RequestedTransport r -> out.putInt(r.value() << 24);
            case RequestedAddressFamily f -> out.putInt(f.code() << 24);
            case AdditionalAddressFamily f -> out.putInt(f.code() << 24);
            case EvenPort e -> out.put((byte) (e.reserveNext() ? 0x80 : 0));
            case DontFragment d -> {}
            case UseCandidate u -> {}
            case ErrorCode e -> writeError(0, e.code(), e.reason(), out);
            case AddressErrorCode e -> writeError(e.family().code(), e.code(), e.reason(), out);
            case UnknownAttributes u -> u.types().forEach(t -> out.putShort((short) (int) t));
            case PasswordAlgorithm p -> writePasswordAlgorithm(p, out);
            case PasswordAlgorithms p -> p.algorithms().forEach(a -> writePasswordAlgorithm(a, out));
            case Icmp i -> out.putShort((short) 0).put((byte) i.icmpType()).put((byte) i.icmpCode()).putInt(i.errorData());
            case UnknownAttribute u -> u.value().writeTo(out);
        }
    }

    // RFC 8489 §14.1/§14.2: 0, family, port, address; XOR-ed with the magic cookie (and tid for IPv6)
    private static InetSocketAddress address(ByteBuffer v, TransactionId tid, String name) throws StunParseException {
        if (v.remaining() < 4) {
            throw new StunParseException(name + " too short");
        }
        v.get(); // reserved; RFC 8489 says to ignore its value
        AddressFamily family = AddressFamily.ofCode(v.get() & 0xFF);
        if (family == null) {
            throw new StunParseException(name + " has an unknown address family");
        }
        int port = v.getShort() & 0xFFFF;
        byte[] addr = new byte[family == AddressFamily.IPV4 ? 4 : 16];
        if (v.remaining() != addr.length) {
            throw new StunParseException(name + " has a bad length");
        }
        v.get(addr);
        if (tid != null) {
            port ^= StunCodec.MAGIC_COOKIE >>> 16;
            xor(addr, tid);
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(addr), port);
        } catch (UnknownHostException e) {
            throw new StunParseException(name + " is not an address");
        }
    }

    private static void writeAddress(InetSocketAddress a, ByteBuffer out, TransactionId tid) {
        byte[] addr = a.getAddress().getAddress();
        int port = a.getPort();
        if (tid != null) {
            port ^= StunCodec.MAGIC_COOKIE >>> 16;
            xor(addr, tid);
        }
        out.put((byte) 0)
                .put((byte) (a.getAddress() instanceof Inet4Address ? 1 : 2))
                .putShort((short) port)
                .put(addr);
    }

    private static void xor(byte[] addr, TransactionId tid) {
        ByteBuffer mask = ByteBuffer.allocate(16).putInt(StunCodec.MAGIC_COOKIE);
        tid.write(mask);
        for (int i = 0; i < addr.length; i++) {
            addr[i] ^= mask.get(i);
        }
    }

    private static String text(ByteBuffer v) {
        byte[] b = new byte[v.remaining()];
        v.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void expect(ByteBuffer v, int length, String name) throws StunParseException {
        if (v.remaining() != length) {
            throw new StunParseException(name + " must have " + length + " bytes, has " + v.remaining());
        }
    }

    private static int int32(ByteBuffer v, String name) throws StunParseException {
        expect(v, 4, name);
        return v.getInt();
    }

    private static long uint32(ByteBuffer v, String name) throws StunParseException {
        return Integer.toUnsignedLong(int32(v, name));
    }

    private static long int64(ByteBuffer v, String name) throws StunParseException {
        expect(v, 8, name);
        return v.getLong();
    }

    // RFC 8489 §14.8: 21 reserved bits, class (3 bits, 3..6), number (0..99), then the reason
    private static ErrorCode errorCode(ByteBuffer v) throws StunParseException {
        if (v.remaining() < 4) {
            throw new StunParseException("ERROR-CODE too short");
        }
        v.getShort();
        int code = errorNumber(v);
        return new ErrorCode(code, text(v));
    }

    private static AddressErrorCode addressErrorCode(ByteBuffer v) throws StunParseException {
        if (v.remaining() < 4) {
            throw new StunParseException("ADDRESS-ERROR-CODE too short");
        }
        AddressFamily family = AddressFamily.ofCode(v.get() & 0xFF);
        if (family == null) {
            throw new StunParseException("ADDRESS-ERROR-CODE has an unknown family");
        }
        v.get();
        int code = errorNumber(v);
        return new AddressErrorCode(family, code, text(v));
    }

    private static int errorNumber(ByteBuffer v) throws StunParseException {
        int cls = v.get() & 0x07;
        int number = v.get() & 0xFF;
        if (cls < 3 || cls > 6 || number > 99) {
            throw new StunParseException("bad error code class " + cls + " number " + number);
        }
        return cls * 100 + number;
    }

    private static void writeError(int first, int code, String reason, ByteBuffer out) {
        out.put((byte) first).put((byte) 0).put((byte) (code / 100)).put((byte) (code % 100));
        out.put(reason.getBytes(StandardCharsets.UTF_8));
    }

    private static UnknownAttributes unknownAttributes(ByteBuffer v) throws StunParseException {
        if ((v.remaining() & 1) != 0) {
            throw new StunParseException("UNKNOWN-ATTRIBUTES has an odd length");
        }
        List<Integer> types = new ArrayList<>(v.remaining() / 2);
        while (v.hasRemaining()) {
            types.add(v.getShort() & 0xFFFF);
        }
        return new UnknownAttributes(types);
    }

    // RFC 8489 §14.11/§14.12: algorithm, parameters length, parameters padded to 4
    private static PasswordAlgorithm passwordAlgorithm(ByteBuffer v) throws StunParseException {
        if (v.remaining() < 4) {
            throw new StunParseException("PASSWORD-ALGORITHM too short");
        }
        int algorithm = v.getShort() & 0xFFFF;
        int length = v.getShort() & 0xFFFF;
        int padded = (length + 3) & ~3;
        if (v.remaining() < length) {
            throw new StunParseException("PASSWORD-ALGORITHM parameters truncated");
        }
        ByteBuffer params = v.slice(v.position(), length);
        v.position(v.position() + Math.min(padded, v.remaining()));
        return new PasswordAlgorithm(algorithm, Bytes.of(params));
    }

    private static void writePasswordAlgorithm(PasswordAlgorithm p, ByteBuffer out) {
        int length = p.parameters().length();
        out.putShort((short) p.algorithm()).putShort((short) length);
        p.parameters().writeTo(out);
        for (int pad = (4 - (length & 3)) & 3; pad > 0; pad--) {
            out.put((byte) 0);
        }
    }
}
