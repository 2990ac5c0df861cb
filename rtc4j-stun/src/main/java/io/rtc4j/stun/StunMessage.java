package io.rtc4j.stun;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable STUN message (RFC 8489 §5): type, transaction id and attributes in wire order. A decoded
 * message also keeps its wire bytes so MESSAGE-INTEGRITY can be checked with a key found later (the
 * username decides the key). Build new messages with {@link #builder}.
 */
public final class StunMessage {
    private final MessageType type;
    private final TransactionId transactionId;
    private final List<StunAttribute> attributes;
    private final byte[] raw; // null unless decoded
    private final int integrityOffset; // offset of MESSAGE-INTEGRITY's header in raw, or -1
    private final int integritySha256Offset; // same for MESSAGE-INTEGRITY-SHA256

    StunMessage(
            MessageType type,
            TransactionId transactionId,
            List<StunAttribute> attributes,
            byte[] raw,
            int integrityOffset,
            int integritySha256Offset) {
        this.type = Objects.requireNonNull(type, "type");
        this.transactionId = Objects.requireNonNull(transactionId, "transactionId");
        this.attributes = List.copyOf(attributes);
        this.raw = raw;
        this.integrityOffset = integrityOffset;
        this.integritySha256Offset = integritySha256Offset;
    }

    public static Builder builder(MessageType type, TransactionId transactionId) {
        return new Builder(type, transactionId);
    }

    /** A response to this message: same method and transaction id (RFC 8489 §6.3). */
    public Builder response(StunClass responseClass) {
        return new Builder(type.withClass(responseClass), transactionId);
    }

    public MessageType type() {
        return type;
    }

    public StunMethod method() {
        return type.method();
    }

    public StunClass messageClass() {
        return type.messageClass();
    }

    public TransactionId transactionId() {
        return transactionId;
    }

    public List<StunAttribute> attributes() {
        return attributes;
    }

    /** The first attribute of the given record type (RFC 8489 §14: later duplicates may be ignored). */
    public <T extends StunAttribute> Optional<T> get(Class<T> kind) {
        return Optional.ofNullable(getOrNull(kind));
    }

    public <T extends StunAttribute> T getOrNull(Class<T> kind) {
        for (StunAttribute a : attributes) {
            if (kind.isInstance(a)) {
                return kind.cast(a);
            }
        }
        return null;
    }

    public boolean has(Class<? extends StunAttribute> kind) {
        return getOrNull(kind) != null;
    }

    /** Comprehension-required attribute types this codec does not know: a request with any gets 420. */
    public List<Integer> unknownComprehensionRequired() {
        List<Integer> unknown = null;
        for (StunAttribute a : attributes) {
            if (a instanceof UnknownAttribute u && AttributeType.isComprehensionRequired(u.type())) {
                if (unknown == null) {
                    unknown = new ArrayList<>(2);
                }
                unknown.add(u.type());
            }
        }
        return unknown == null ? List.of() : unknown;
    }

    /** True when the message carries MESSAGE-INTEGRITY or MESSAGE-INTEGRITY-SHA256. */
    public boolean hasIntegrity() {
        return integrityOffset >= 0 || integritySha256Offset >= 0;
    }

    /**
     * Checks the message integrity of a decoded message against {@code key} in constant time: the SHA-256
     * variant when present (RFC 8489 §9.2.4), MESSAGE-INTEGRITY otherwise. False when there is none.
     */
    public boolean verifyIntegrity(byte[] key) {
        if (raw == null) {
            throw new IllegalStateException("only decoded messages can be verified");
        }
        if (integritySha256Offset >= 0) {
            return check(integritySha256Offset, key, true);
        }
        return integrityOffset >= 0 && check(integrityOffset, key, false);
    }

    private boolean check(int offset, byte[] key, boolean sha256) {
        int valueLength = ((raw[offset + 2] & 0xFF) << 8) | (raw[offset + 3] & 0xFF);
        byte[] expected = StunIntegrity.hmac(raw, offset, offset + 4 + valueLength - StunCodec.HEADER_LENGTH, key, sha256);
        byte[] actual = new byte[valueLength];
        System.arraycopy(raw, offset + 4, actual, 0, valueLength);
        // a truncated SHA-256 MAC compares against the same prefix (RFC 8489 §14.6)
        return MessageDigest.isEqual(actual, valueLength == expected.length ? expected : prefix(expected, valueLength));
    }

    private static byte[] prefix(byte[] b, int n) {
        byte[] p = new byte[n];
        System.arraycopy(b, 0, p, 0, Math.min(n, b.length));
        return p;
    }

    @Override
    public String toString() {
        return type + " " + transactionId + " " + attributes;
    }

    /** Collects attributes; integrity and fingerprint are added by the encoder from a {@link StunProtection}. */
    public static final class Builder {
        private final MessageType type;
        private final TransactionId transactionId;
        private final List<StunAttribute> attributes = new ArrayList<>();

        private Builder(MessageType type, TransactionId transactionId) {
            this.type = type;
            this.transactionId = transactionId;
        }

        public Builder add(StunAttribute attribute) {
            attributes.add(Objects.requireNonNull(attribute, "attribute"));
            return this;
        }

        public Builder addAll(List<? extends StunAttribute> list) {
            list.forEach(this::add);
            return this;
        }

        public StunMessage build() {
            return new StunMessage(type, transactionId, attributes, null, -1, -1);
        }
    }
}
