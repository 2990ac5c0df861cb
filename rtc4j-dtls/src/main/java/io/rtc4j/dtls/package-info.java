/**
 * DTLS 1.2 for WebRTC (RFC 6347, DTLS-SRTP RFC 5764, fingerprints RFC 8122, security architecture RFC 8827) over
 * BouncyCastle's bctls, behind the engine shape of the rest of rtc4j.
 *
 * <p>Start at {@link io.rtc4j.dtls.DtlsEndpoint}: build a {@link io.rtc4j.dtls.DtlsConfig} with our
 * {@link io.rtc4j.dtls.DtlsCertificate}, the role from {@link io.rtc4j.dtls.DtlsSetup} and the remote
 * {@code a=fingerprint} values ({@link io.rtc4j.dtls.DtlsFingerprint}); feed datagrams whose first byte is 20-63
 * (RFC 7983) to {@code handleInput}, call {@code start} when ICE is connected, and drain {@code pollOutput}.
 * DTLS 1.3 (RFC 9147) is not offered: BouncyCastle 1.84 has no DTLS 1.3.
 */
package io.rtc4j.dtls;
