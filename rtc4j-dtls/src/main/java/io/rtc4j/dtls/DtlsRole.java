package io.rtc4j.dtls;

/** Which side of the DTLS handshake this endpoint plays (RFC 6347): the client sends the ClientHello. */
public enum DtlsRole {
    CLIENT,
    SERVER
}
