package io.rtc4j.sctp;

import io.rtc4j.sctp.SctpChunk.CookieEcho;
import io.rtc4j.sctp.SctpChunk.Init;
import io.rtc4j.sctp.SctpChunk.InitAck;
import io.rtc4j.sctp.SctpChunk.InitBody;
import io.rtc4j.sctp.SctpChunk.OperationError;
import io.rtc4j.sctp.SctpEvent.AssociationClosed;
import io.rtc4j.sctp.SctpParameter.ForwardTsnSupported;
import io.rtc4j.sctp.SctpParameter.StateCookie;
import io.rtc4j.sctp.SctpParameter.SupportedExtensions;
import io.rtc4j.sctp.SctpParameter.ZeroChecksumAcceptable;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Association setup for {@link SctpAssociation} (RFC 9260 §5): INIT, INIT ACK with a state cookie, COOKIE ECHO,
 * COOKIE ACK, and the T1-init/T1-cookie timer. The passive side keeps no state until a valid cookie returns.
 */
final class SctpHandshake {
    private static final byte[] EXTENSIONS = {(byte) SctpChunk.FORWARD_TSN, (byte) SctpChunk.RE_CONFIG};

    private final SctpAssociation association;
    private final SctpConfig config;
    private final SctpCookie cookies;
    // T1 (null: not running) and the chunk it repeats
    private Instant t1;
    private int t1Count;
    private SctpChunk t1Chunk;

    SctpHandshake(SctpAssociation association, SctpConfig config, byte[] cookieSecret) {
        this.association = association;
        this.config = config;
        this.cookies = new SctpCookie(cookieSecret);
    }

    /** Sends INIT (§5.1 A); the caller checked the state. */
    void connect(Instant now) {
        t1Chunk = new Init(initBody(List.of()));
        association.state = SctpAssociation.State.COOKIE_WAIT;
        t1Count = 0;
        association.sendControl(now, t1Chunk, 0);
        t1 = now.plus(association.rto.rto());
    }

    private InitBody initBody(List<SctpParameter> extra) {
        List<SctpParameter> params = new ArrayList<>(extra);
        params.add(new ForwardTsnSupported());
        params.add(new SupportedExtensions(EXTENSIONS));
        if (config.zeroChecksum()) {
            params.add(new ZeroChecksumAcceptable(ZeroChecksumAcceptable.DTLS));
        }
        return new InitBody(association.localTag, config.receiveBufferBytes(), config.streams(), config.streams(),
                association.initialTsn, params);
    }

    void onInit(Instant now, InitBody init) {
        // §5.1 B, §5.2.1, §5.2.2: answer with our one tag and a cookie holding all we need; no state kept here.
        SctpCookie.State s = SctpCookie.State.of(association.localTag, init, SctpCookie.millis(now));
        InitBody ack = initBody(List.of(new StateCookie(cookies.seal(s))));
        association.sendControl(now, new InitAck(ack), init.initiateTag());
    }

    void onInitAck(Instant now, InitBody ack) {
        if (association.state != SctpAssociation.State.COOKIE_WAIT) {
            return; // §5.2.3: silently discarded in other states
        }
        StateCookie cookie = ack.get(StateCookie.class);
        if (cookie == null) {
            association.drop("INIT ACK without a state cookie");
            return;
        }
        association.peerTag = ack.initiateTag();
        t1Chunk = new CookieEcho(cookie.cookie());
        association.state = SctpAssociation.State.COOKIE_ECHOED;
        t1Count = 0;
        // Remember the peer's side as the cookie would; used when COOKIE ACK arrives.
        association.peer = SctpCookie.State.of(association.localTag, ack, SctpCookie.millis(now));
        association.sendControl(now, t1Chunk, association.peerTag);
        t1 = now.plus(association.rto.rto());
    }

    void onCookieEcho(Instant now, CookieEcho e) {
        SctpCookie.State s = cookies.open(e.cookie());
        if (s == null || s.localTag() != association.localTag) {
            association.drop("invalid state cookie");
            return;
        }
        long age = SctpCookie.millis(now) - s.createdMillis();
        if (age > config.cookieLifetime().toMillis()) {
            // §5.1.5 3: stale; the measure of staleness is in microseconds
            byte[] us = ByteBuffer.allocate(4).putInt((int) Math.min(Integer.MAX_VALUE, age * 1000)).array();
            association.sendControl(now, new OperationError(List.of(new SctpErrorCause(SctpErrorCause.STALE_COOKIE,
                    us))), s.peerTag());
            association.drop("stale cookie");
            return;
        }
        switch (association.state) {
            case CLOSED, COOKIE_WAIT, COOKIE_ECHOED -> {
                association.peer = s;
                association.peerTag = s.peerTag();
                association.sendControl(now, new SctpChunk.CookieAck(), association.peerTag);
                association.established(now);
            }
            default -> {
                if (s.peerTag() == association.peerTag) {
                    // §5.2.4 case D: our COOKIE ACK was lost
                    association.sendControl(now, new SctpChunk.CookieAck(), association.peerTag);
                } else {
                    association.drop("peer restart is not supported");
                }
            }
        }
    }

    /** Stops T1 (established or closed). */
    void stop() {
        t1 = null;
        t1Chunk = null;
    }

    Instant deadline() {
        return t1;
    }

    /** §5.1.6 T1-init / T1-cookie; returns true when the association gave up (it is closed then). */
    boolean onTimeout(Instant now) {
        if (t1 == null || t1.isAfter(now)) {
            return false;
        }
        if (++t1Count > config.maxInitRetransmissions()) {
            association.close(AssociationClosed.Reason.FAILED, "handshake timed out");
            return true;
        }
        association.rto.backOff();
        association.sendControl(now, t1Chunk, t1Chunk instanceof Init ? 0 : association.peerTag);
        t1 = now.plus(association.rto.rto());
        return false;
    }
}
