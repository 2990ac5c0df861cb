package io.rtc4j.turn.client;

import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.Software;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.StunTransactionOutput;
import io.rtc4j.stun.StunTransactions;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.stun.XorRelayedAddress;
import io.rtc4j.turn.client.TurnClientEvent.Failure;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request half of {@link TurnClient}: builds and signs requests, runs them as STUN transactions (RFC
 * 8489 §6.2), answers the credential challenges (401 first, 438 Stale Nonce, RFC 8489 §9.2.5) and hands
 * results back to the client.
 */
final class TurnClientRequests {
    /** RFC 8656 §3.2: the default allocation lifetime, assumed when a response carries no LIFETIME. */
    private static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(600);
    private static final int UDP = 17; // REQUESTED-TRANSPORT (RFC 8656 §18.7)

    private final TurnClient client;
    private final StunTransactions transactions;
    private final Map<TransactionId, Pending> pending = new HashMap<>();
    private long staleNonceRetries;

    /** One logical request; resent with a new transaction id after a challenge. */
    private static final class Pending {
        final StunMethod method;
        final List<StunAttribute> attributes;
        final TurnPeers.Permission permission; // CreatePermission
        final TurnPeers.Channel channel; // ChannelBind
        final boolean release; // Refresh with LIFETIME 0
        boolean signed;
        boolean integrityFailed; // a response was discarded for bad MESSAGE-INTEGRITY
        int staleRetries;

        Pending(StunMethod method, List<StunAttribute> attributes, TurnPeers.Permission permission,
                TurnPeers.Channel channel, boolean release) {
            this.method = method;
            this.attributes = attributes;
            this.permission = permission;
            this.channel = channel;
            this.release = release;
        }

        InetSocketAddress peer() {
            return permission != null ? new InetSocketAddress(permission.peer, 0) : channel != null ? channel.peer : null;
        }
    }

    TurnClientRequests(TurnClient client, StunTransactions transactions) {
        this.client = client;
        this.transactions = transactions;
    }

    StunTransactions transactions() {
        return transactions;
    }

    long staleNonceRetries() {
        return staleNonceRetries;
    }

    // ---- the requests ----

    // RFC 8656 §7.1: REQUESTED-TRANSPORT UDP, and LIFETIME when configured
    void allocate(Instant now) {
        List<StunAttribute> attrs = new ArrayList<>(2);
        attrs.add(new RequestedTransport(UDP));
        attrs.addAll(lifetime());
        send(now, new Pending(StunMethod.ALLOCATE, attrs, null, null, false));
    }

    void refresh(Instant now) {
        send(now, new Pending(StunMethod.REFRESH, lifetime(), null, null, false));
    }

    // RFC 8656 §8: a Refresh with LIFETIME 0 deletes the allocation
    void release(Instant now) {
        send(now, new Pending(StunMethod.REFRESH, List.of(new Lifetime(0)), null, null, true));
    }

    private List<StunAttribute> lifetime() {
        Duration d = client.config().lifetime();
        return d == null ? List.of() : List.of(new Lifetime(d.toSeconds()));
    }

    // RFC 8656 §9.1: one peer per request, so that a 403 for one peer does not cost the others theirs
    void createPermission(Instant now, TurnPeers.Permission p) {
        p.refreshAt = null;
        List<StunAttribute> attrs = List.of(new XorPeerAddress(new InetSocketAddress(p.peer, 0)));
        p.pending = send(now, new Pending(StunMethod.CREATE_PERMISSION, attrs, p, null, false));
    }

    void channelBind(Instant now, TurnPeers.Channel c) {
        c.refreshAt = null;
        List<StunAttribute> attrs = List.of(new ChannelNumber(c.number), new XorPeerAddress(c.peer));
        c.pending = send(now, new Pending(StunMethod.CHANNEL_BIND, attrs, null, c, false));
    }

    private TransactionId send(Instant now, Pending p) {
        TurnClientConfig config = client.config();
        TurnClientAuth auth = client.auth();
        StunMessage.Builder b = StunMessage.builder(new MessageType(p.method, StunClass.REQUEST),
                TransactionId.random(client.random())).addAll(p.attributes);
        if (config.software() != null) {
            b.add(new Software(config.software()));
        }
        StunProtection protection = StunProtection.NONE;
        p.signed = auth.ready();
        if (p.signed) {
            auth.sign(b);
            protection = auth.protection();
        }
        if (config.fingerprint()) {
            protection = protection.withFingerprint();
        }
        TransactionId id = transactions.start(now, StunCodec.encode(b.build(), protection));
        pending.put(id, p);
        return id;
    }

    /** Ends every outstanding request silently (release, end of the allocation). */
    void cancelAll(Instant now) {
        for (TransactionId id : new ArrayList<>(pending.keySet())) {
            transactions.cancel(now, id);
        }
        pending.clear();
    }

    /** Ends one outstanding request silently; null is ignored. */
    void forget(Instant now, TransactionId id) {
        if (id != null && pending.remove(id) != null) {
            transactions.cancel(now, id);
        }
    }

    // ---- input ----

    /** A success or error response from the server. */
    void response(Instant now, StunMessage m) {
        TransactionId id = m.transactionId();
        Pending p = pending.get(id);
        if (p != null && p.signed && !client.auth().acceptable(m)) {
            client.drop(TurnClientDrop.INTEGRITY);
            if (client.isStream()) {
                // RFC 8489 §9.2.5: over a reliable transport the transaction ends at once
                transactions.cancel(now, id);
                pending.remove(id);
                failed(now, p, Failure.INTEGRITY_VIOLATED, null);
            } else {
                p.integrityFailed = true; // as if never received: retransmissions go on
            }
            return;
        }
        if (!transactions.handleResponse(now, m)) {
            client.drop(TurnClientDrop.UNMATCHED_RESPONSE);
        }
    }

    void handleTimeout(Instant now) {
        transactions.handleTimeout(now);
        pump(now);
    }

    /** Moves the transaction table's outputs into the client: transmissions, answers, timeouts. */
    void pump(Instant now) {
        for (int guard = 0; guard < 1_000_000; guard++) {
            switch (transactions.pollOutput()) {
                case StunTransactionOutput.Transmit t -> client.emit(new TurnClientOutput.Transmit(t.data()));
                case StunTransactionOutput.ResponseReceived r -> completed(now, r.response());
                case StunTransactionOutput.TimedOut t -> {
                    Pending p = pending.remove(t.id());
                    if (p != null) {
                        failed(now, p, p.integrityFailed ? Failure.INTEGRITY_VIOLATED : Failure.TIMED_OUT, null);
                    }
                }
                case StunTransactionOutput.Timeout t -> {
                    return;
                }
            }
        }
        throw new IllegalStateException("transaction table never drained");
    }

    private void completed(Instant now, StunMessage m) {
        Pending p = pending.remove(m.transactionId());
        if (p == null) {
            return; // cancelled while the answer was queued
        }
        if (m.messageClass() == StunClass.SUCCESS_RESPONSE) {
            succeeded(now, p, m);
            return;
        }
        ErrorCode e = m.getOrNull(ErrorCode.class);
        if (e == null) {
            failed(now, p, Failure.BAD_RESPONSE, null);
            return;
        }
        TurnClientAuth auth = client.auth();
        // RFC 8489 §9.2.5: the first, unsigned request gets 401 with REALM and NONCE; retry signed, once
        if (e.code() == ErrorCode.UNAUTHENTICATED && !p.signed && auth.learn(m)) {
            resend(now, p);
            return;
        }
        // RFC 8489 §9.2.5: 438 carries a fresh NONCE; retry with it, a bounded number of times
        if (e.code() == ErrorCode.STALE_NONCE && p.staleRetries < client.config().maxStaleNonceRetries()
                && auth.learn(m)) {
            p.staleRetries++;
            staleNonceRetries++;
            resend(now, p);
            return;
        }
        failed(now, p, Failure.ERROR_RESPONSE, e);
    }

    private void resend(Instant now, Pending p) {
        p.integrityFailed = false;
        TransactionId id = send(now, p);
        if (p.permission != null) {
            p.permission.pending = id;
        }
        if (p.channel != null) {
            p.channel.pending = id;
        }
    }

    private void succeeded(Instant now, Pending p, StunMessage m) {
        TurnClientConfig config = client.config();
        TurnPeers peers = client.peers();
        switch (p.method.code()) {
            case 0x003 -> { // Allocate, RFC 8656 §7.3
                List<InetSocketAddress> relayed = new ArrayList<>(2);
                for (StunAttribute a : m.attributes()) {
                    if (a instanceof XorRelayedAddress r) {
                        relayed.add(r.address());
                    }
                }
                if (relayed.isEmpty()) {
                    failed(now, p, Failure.BAD_RESPONSE, null);
                    return;
                }
                XorMappedAddress mapped = m.getOrNull(XorMappedAddress.class);
                client.allocated(now, relayed, mapped == null ? null : mapped.address(), lifetime(m));
            }
            case 0x004 -> { // Refresh, RFC 8656 §8
                if (p.release) {
                    client.end(now, TurnClientEvent.EndReason.RELEASED);
                } else {
                    client.refreshed(now, lifetime(m));
                }
            }
            case 0x008 -> { // CreatePermission, RFC 8656 §9.3
                TurnPeers.Permission perm = p.permission;
                if (peers.permission(perm.peer) == perm) {
                    perm.pending = null;
                    installed(now, perm);
                }
            }
            default -> { // ChannelBind, RFC 8656 §11.3: binds the channel and refreshes the permission
                TurnPeers.Channel c = p.channel;
                if (peers.channel(c.peer) != c) {
                    return;
                }
                c.pending = null;
                c.refreshAt = now.plus(config.channelRefresh());
                TurnPeers.Permission perm = peers.addPermission(c.peer.getAddress());
                if (perm.pending == null) {
                    installed(now, perm);
                }
                if (!c.bound) {
                    c.bound = true;
                    client.emit(new TurnClientEvent.TurnChannelBound(c.number, c.peer));
                }
            }
        }
    }

    private void installed(Instant now, TurnPeers.Permission perm) {
        perm.refreshAt = now.plus(client.config().permissionRefresh());
        if (!perm.installed) {
            perm.installed = true;
            client.emit(new TurnClientEvent.TurnPermissionCreated(perm.peer));
        }
    }

    private void failed(Instant now, Pending p, Failure failure, ErrorCode error) {
        if (p.release) {
            client.end(now, TurnClientEvent.EndReason.RELEASED); // gone either way: 437 means already gone
            return;
        }
        client.emit(new TurnClientEvent.TurnRequestFailed(p.method, p.peer(), failure, error));
        TurnPeers peers = client.peers();
        switch (p.method.code()) {
            case 0x003 -> client.end(now, TurnClientEvent.EndReason.ALLOCATE_FAILED);
            case 0x004 -> client.refreshFailed(now, failure);
            case 0x008 -> {
                if (peers.permission(p.permission.peer) == p.permission) {
                    peers.removePermission(p.permission.peer);
                }
            }
            default -> {
                if (peers.channel(p.channel.peer) == p.channel) {
                    peers.removeChannel(p.channel);
                }
            }
        }
    }

    private static Duration lifetime(StunMessage m) {
        Lifetime l = m.getOrNull(Lifetime.class);
        return l == null ? DEFAULT_LIFETIME : Duration.ofSeconds(l.value());
    }
}
