package io.rtc4j.stun;

/** A 12-bit STUN method (RFC 8489 §18.2 registry; TURN methods from RFC 8656 §17). */
public record StunMethod(int code) {
    public static final StunMethod BINDING = new StunMethod(0x001);
    public static final StunMethod ALLOCATE = new StunMethod(0x003);
    public static final StunMethod REFRESH = new StunMethod(0x004);
    public static final StunMethod SEND = new StunMethod(0x006);
    public static final StunMethod DATA = new StunMethod(0x007);
    public static final StunMethod CREATE_PERMISSION = new StunMethod(0x008);
    public static final StunMethod CHANNEL_BIND = new StunMethod(0x009);

    public StunMethod {
        if (code < 0 || code > 0xFFF) {
            throw new IllegalArgumentException("a STUN method has 12 bits: " + code);
        }
    }

    @Override
    public String toString() {
        return switch (code) {
            case 0x001 -> "Binding";
            case 0x003 -> "Allocate";
            case 0x004 -> "Refresh";
            case 0x006 -> "Send";
            case 0x007 -> "Data";
            case 0x008 -> "CreatePermission";
            case 0x009 -> "ChannelBind";
            default -> String.format("Method(0x%03x)", code);
        };
    }
}
