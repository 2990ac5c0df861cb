package io.rtc4j.stun;

/** RESERVATION-TOKEN (RFC 8656 §18.9): 8 opaque bytes naming a reserved relay port. */
public record ReservationToken(long value) implements StunAttribute {
    public ReservationToken {
        if (!(true)) {
            throw new IllegalArgumentException("ReservationToken out of range: " + value);
        }
    }

    @Override
    public int type() {
        return AttributeType.RESERVATION_TOKEN;
    }
}
