package io.rtc4j.ice;

import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.StunTransactionOutput;
import io.rtc4j.stun.StunTransactions;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorMappedAddress;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Gathers host and server-reflexive candidates (RFC 8445 §5.1.1), sans-IO: the driver names its host bases
 * (the sockets it bound) and STUN servers; the gatherer emits host candidates at once, sends a Binding
 * request from every base to every STUN server of the same family, and emits a server-reflexive candidate
 * for each new mapped address. Relayed candidates come from a TURN client and are added by the driver.
 */
public final class IceGatherer {
    /** What the driver gets from {@link #pollOutput()}. */
    public sealed interface Output {
        record Transmit(InetSocketAddress from, InetSocketAddress to, ByteBuffer data) implements Output {}

        record CandidateGathered(LocalCandidate candidate) implements Output {}

        /** Every server answered or gave up (RFC 8838 §8.2: now signal end-of-candidates). */
        record GatheringComplete() implements Output {}

        record Timeout(Instant at) implements Output {}
    }

    private record Request(InetSocketAddress base, InetSocketAddress server) {}

    private final List<InetSocketAddress> bases;
    private final List<InetSocketAddress> stunServers;
    private final int component;
    private final RandomGenerator random;
    private final StunTransactions transactions = new StunTransactions();
    private final Map<TransactionId, Request> pending = new HashMap<>();
    private final Set<InetSocketAddress> reflexive = new HashSet<>();
    private final Map<String, String> foundations = new HashMap<>();
    private final ArrayDeque<Output> outputs = new ArrayDeque<>();
    private boolean started;
    private boolean complete;

    public IceGatherer(List<InetSocketAddress> bases, List<InetSocketAddress> stunServers, int component, RandomGenerator random) {
        this.bases = List.copyOf(bases);
        this.stunServers = List.copyOf(stunServers);
        this.component = component;
        this.random = random;
    }

    public void start(Instant now) {
        if (started) {
            return;
        }
        started = true;
        for (int i = 0; i < bases.size(); i++) {
            InetSocketAddress base = bases.get(i);
            IceCandidate host = IceCandidate.udp(foundation(CandidateType.HOST, base, null), component,
                    IcePriority.candidate(CandidateType.HOST, localPreference(i), component), base, CandidateType.HOST);
            outputs.add(new Output.CandidateGathered(new LocalCandidate(host, base)));
            for (InetSocketAddress server : stunServers) {
                if ((server.getAddress() instanceof Inet4Address) == (base.getAddress() instanceof Inet4Address)) {
                    TransactionId tid = TransactionId.random(random);
                    pending.put(tid, new Request(base, server));
                    byte[] req = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, tid).build(),
                            StunProtection.FINGERPRINT);
                    transactions.start(now, req);
                }
            }
        }
        pump(now);
    }

    /**
     * Offers a datagram that arrived at {@code base}; returns true when it was the answer to one of our
     * requests (consumed), false when the driver should pass it on (to the ICE agent).
     */
    public boolean handleInput(Instant now, InetSocketAddress base, InetSocketAddress source, ByteBuffer data) {
        if (pending.isEmpty() || !StunCodec.isStun(data)) {
            return false;
        }
        StunMessage m;
        try {
            m = StunCodec.decode(data.duplicate());
        } catch (StunParseException e) {
            return false;
        }
        Request r = pending.get(m.transactionId());
        if (r == null || !r.server().equals(source) || !r.base().equals(base)) {
            return false;
        }
        if (transactions.handleResponse(now, m)) {
            pending.remove(m.transactionId());
            XorMappedAddress mapped = m.getOrNull(XorMappedAddress.class);
            if (mapped != null && !mapped.address().equals(r.base()) && reflexive.add(mapped.address())) {
                int index = bases.indexOf(r.base());
                IceCandidate c = new IceCandidate(foundation(CandidateType.SERVER_REFLEXIVE, r.base(), r.server()), component,
                        io.rtc4j.ice.IceTransport.UDP,
                        IcePriority.candidate(CandidateType.SERVER_REFLEXIVE, localPreference(index), component),
                        mapped.address().getAddress().getHostAddress(), mapped.address().getPort(),
                        CandidateType.SERVER_REFLEXIVE, r.base().getAddress().getHostAddress(), r.base().getPort(), null, List.of());
                outputs.add(new Output.CandidateGathered(new LocalCandidate(c, r.base())));
            }
            pump(now);
        }
        return true;
    }

    public void handleTimeout(Instant now) {
        transactions.handleTimeout(now);
        pump(now);
    }

    public Output pollOutput() {
        Output o = outputs.poll();
        return o != null ? o : new Output.Timeout(transactions.nextDeadline());
    }

    private void pump(Instant now) {
        while (true) {
            switch (transactions.pollOutput()) {
                case StunTransactionOutput.Transmit t -> {
                    Request r = pending.get(t.id());
                    if (r != null) {
                        outputs.add(new Output.Transmit(r.base(), r.server(), t.data()));
                    }
                }
                case StunTransactionOutput.TimedOut t -> pending.remove(t.id());
                case StunTransactionOutput.ResponseReceived r -> {}
                case StunTransactionOutput.Timeout t -> {
                    if (started && pending.isEmpty() && !complete) {
                        complete = true;
                        outputs.add(new Output.GatheringComplete());
                    }
                    return;
                }
            }
        }
    }

    // RFC 8445 §5.1.1.3: same type, base IP, server and transport share a foundation
    private String foundation(CandidateType type, InetSocketAddress base, InetSocketAddress server) {
        String key = type + "|" + base.getAddress().getHostAddress() + "|" + (server == null ? "" : server.getAddress().getHostAddress());
        return foundations.computeIfAbsent(key, k -> Integer.toString(foundations.size() + 1));
    }

    /** Earlier bases are preferred; leaves room below 65535 for the driver's ordering (RFC 8445 §5.1.2.1). */
    private static int localPreference(int index) {
        return Math.max(0, 65535 - 256 * index);
    }
}
