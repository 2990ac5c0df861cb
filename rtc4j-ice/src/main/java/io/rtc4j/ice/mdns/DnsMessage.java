package io.rtc4j.ice.mdns;

import java.util.List;

/**
 * A DNS message as multicast DNS uses it (RFC 1035 §4.1, RFC 6762 §18): header fields, questions, and the
 * answer and additional records (authority records are skipped, mDNS probing only).
 */
public record DnsMessage(int id, int flags, List<DnsQuestion> questions, List<DnsRecord> answers, List<DnsRecord> additionals) {
    /** QR bit: a response. */
    public static final int FLAG_RESPONSE = 0x8000;
    /** AA bit: mDNS responses are authoritative (RFC 6762 §18.4). */
    public static final int FLAG_AUTHORITATIVE = 0x0400;

    public DnsMessage {
        questions = List.copyOf(questions);
        answers = List.copyOf(answers);
        additionals = List.copyOf(additionals);
        if (id < 0 || id > 0xFFFF || flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("id and flags are 16 bits");
        }
    }

    public boolean isResponse() {
        return (flags & FLAG_RESPONSE) != 0;
    }

    /** A one-question query with id 0 (RFC 6762 §18.1). */
    public static DnsMessage query(DnsQuestion q) {
        return new DnsMessage(0, 0, List.of(q), List.of(), List.of());
    }

    /** An authoritative response carrying {@code answers} (RFC 6762 §6). */
    public static DnsMessage response(List<DnsRecord> answers) {
        return new DnsMessage(0, FLAG_RESPONSE | FLAG_AUTHORITATIVE, List.of(), answers, List.of());
    }
}
