package io.rtc4j.stun;

/**
 * Method and class, interleaved in the 14-bit message type field (RFC 8489 §5, figure 3):
 * M11..M7 C1 M6..M4 C0 M3..M0.
 */
public record MessageType(StunMethod method, StunClass messageClass) {
    public static final MessageType BINDING_REQUEST = new MessageType(StunMethod.BINDING, StunClass.REQUEST);
    public static final MessageType BINDING_SUCCESS = new MessageType(StunMethod.BINDING, StunClass.SUCCESS_RESPONSE);
    public static final MessageType BINDING_ERROR = new MessageType(StunMethod.BINDING, StunClass.ERROR_RESPONSE);

    public int encode() {
        int m = method.code();
        int c = messageClass.bits();
        return (m & 0x000F) | ((c & 0b01) << 4) | ((m & 0x0070) << 1) | ((c & 0b10) << 7) | ((m & 0x0F80) << 2);
    }

    public static MessageType decode(int type) {
        int m = (type & 0x000F) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0F80);
        int c = ((type >> 4) & 0b01) | ((type >> 7) & 0b10);
        return new MessageType(new StunMethod(m), StunClass.ofBits(c));
    }

    public MessageType withClass(StunClass c) {
        return new MessageType(method, c);
    }

    @Override
    public String toString() {
        return method + " " + messageClass;
    }
}
