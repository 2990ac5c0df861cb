package io.rtc4j.ice;

import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.IceControlled;
import io.rtc4j.stun.IceControlling;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Priority;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.UseCandidate;
import io.rtc4j.stun.Username;
import io.rtc4j.stun.XorMappedAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Connectivity-check messages (RFC 8445 §7.1.1, §7.3.1.4) with short-term credentials (RFC 8489 §9.1). */
final class IceMessages {
    private IceMessages() {}

    /** A check from us: USERNAME remote:local, PRIORITY, the role attribute, maybe USE-CANDIDATE. */
    static byte[] check(TransactionId tid, IceCredentials local, IceCredentials remote, long prflxPriority,
            IceRole role, long tieBreaker, boolean useCandidate) {
        StunMessage.Builder b = StunMessage.builder(MessageType.BINDING_REQUEST, tid)
                .add(new Username(remote.ufrag() + ":" + local.ufrag()))
                .add(new Priority(prflxPriority))
                .add(role == IceRole.CONTROLLING ? new IceControlling(tieBreaker) : new IceControlled(tieBreaker));
        if (useCandidate) {
            b.add(UseCandidate.INSTANCE);
        }
        return StunCodec.encode(b.build(), StunProtection.integrity(key(remote)).withFingerprint());
    }

    /** Our success response: XOR-MAPPED-ADDRESS is where the check came from (RFC 8445 §7.3.1.4). */
    static byte[] success(StunMessage request, InetSocketAddress source, IceCredentials local) {
        StunMessage m = request.response(StunClass.SUCCESS_RESPONSE).add(new XorMappedAddress(source)).build();
        return StunCodec.encode(m, StunProtection.integrity(key(local)).withFingerprint());
    }

    /** An error response; 400 and 401 go without integrity, as the sender could not be authenticated. */
    static byte[] error(StunMessage request, int code, IceCredentials localOrNull) {
        StunMessage m = request.response(StunClass.ERROR_RESPONSE).add(ErrorCode.of(code)).build();
        StunProtection p = localOrNull == null
                ? StunProtection.FINGERPRINT
                : StunProtection.integrity(key(localOrNull)).withFingerprint();
        return StunCodec.encode(m, p);
    }

    /** Short-term credential key: the password itself (RFC 8489 §9.1.1; OpaqueString is ASCII identity here). */
    static byte[] key(IceCredentials c) {
        return c.pwd().getBytes(StandardCharsets.UTF_8);
    }
}
