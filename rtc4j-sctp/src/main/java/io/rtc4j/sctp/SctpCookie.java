package io.rtc4j.sctp;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The state cookie (RFC 9260 §5.1.3): what the responder needs to build the association from COOKIE ECHO alone,
 * its creation time, and an HMAC-SHA256 over both with a secret that never leaves this association.
 */
final class SctpCookie {
    static final int BODY = 4 + 4 + 4 + 4 + 2 + 2 + 1 + 8;
    static final int MAC_LENGTH = 16; // truncated HMAC-SHA256 (RFC 2104 §5 allows truncation to >= 80 bits)

    /** What the cookie carries: the peer's INIT and our answer to it. */
    record State(int localTag, int peerTag, int peerInitialTsn, long peerRwnd, int peerOutboundStreams,
            int peerInboundStreams, boolean peerForwardTsn, boolean peerReconfig, boolean peerZeroChecksum,
            long createdMillis) {

        /** The peer's side as its INIT or INIT ACK announces it (RFC 3758 §3.1, RFC 6525 §3.1, RFC 9653 §4). */
        static State of(int localTag, SctpChunk.InitBody peer, long createdMillis) {
            SctpParameter.SupportedExtensions ext = peer.get(SctpParameter.SupportedExtensions.class);
            SctpParameter.ZeroChecksumAcceptable zc = peer.get(SctpParameter.ZeroChecksumAcceptable.class);
            return new State(localTag, peer.initiateTag(), peer.initialTsn(), peer.aRwnd(), peer.outboundStreams(),
                    peer.inboundStreams(),
                    peer.get(SctpParameter.ForwardTsnSupported.class) != null
                            || (ext != null && ext.supports(SctpChunk.FORWARD_TSN)),
                    ext != null && ext.supports(SctpChunk.RE_CONFIG),
                    zc != null && zc.edmid() == SctpParameter.ZeroChecksumAcceptable.DTLS, createdMillis);
        }
    }

    private final Mac mac;

    SctpCookie(byte[] secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    byte[] seal(State s) {
        ByteBuffer b = ByteBuffer.allocate(BODY + MAC_LENGTH);
        b.putInt(s.localTag()).putInt(s.peerTag()).putInt(s.peerInitialTsn()).putInt((int) s.peerRwnd());
        b.putShort((short) s.peerOutboundStreams()).putShort((short) s.peerInboundStreams());
        b.put((byte) ((s.peerForwardTsn() ? 1 : 0) | (s.peerReconfig() ? 2 : 0) | (s.peerZeroChecksum() ? 4 : 0)));
        b.putLong(s.createdMillis());
        mac.update(b.array(), 0, BODY);
        byte[] tag = mac.doFinal();
        b.put(tag, 0, MAC_LENGTH);
        return b.array();
    }

    /** The state if the HMAC checks out (lifetime is the caller's), else null. */
    State open(byte[] cookie) {
        if (cookie.length != BODY + MAC_LENGTH) {
            return null;
        }
        mac.update(cookie, 0, BODY);
        byte[] tag = mac.doFinal();
        byte[] got = new byte[MAC_LENGTH];
        System.arraycopy(cookie, BODY, got, 0, MAC_LENGTH);
        byte[] want = new byte[MAC_LENGTH];
        System.arraycopy(tag, 0, want, 0, MAC_LENGTH);
        if (!MessageDigest.isEqual(got, want)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(cookie);
        int flags;
        return new State(b.getInt(), b.getInt(), b.getInt(), b.getInt() & 0xFFFF_FFFFL, b.getShort() & 0xFFFF,
                b.getShort() & 0xFFFF, ((flags = b.get()) & 1) != 0, (flags & 2) != 0, (flags & 4) != 0,
                b.getLong());
    }

    static long millis(Instant now) {
        return now.toEpochMilli();
    }
}
