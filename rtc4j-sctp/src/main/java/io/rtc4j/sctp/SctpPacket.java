package io.rtc4j.sctp;

import java.util.List;

/** An SCTP packet: common header (RFC 9260 §3.1) and its chunks. */
record SctpPacket(int sourcePort, int destinationPort, int verificationTag, List<SctpChunk> chunks) {
    SctpPacket {
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("port out of range");
        }
        chunks = List.copyOf(chunks);
    }
}
