package io.rtc4j.ice;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Forming, pruning, ordering and initially freezing a checklist (RFC 8445 §6.1.2). Stateless functions. */
public final class IceChecklist {
    /** RFC 8445 §6.1.2.5 suggests a limit; 100 is the RECOMMENDED default. */
    public static final int DEFAULT_MAX_PAIRS = 100;

    private IceChecklist() {}

    /**
     * Pairs every local candidate with every remote candidate of the same component, transport and IP family
     * (§6.1.2.2), replaces server-reflexive locals by their base (§6.1.2.4), drops redundant pairs, keeping the
     * higher priority, orders by pair priority, highest first (§6.1.2.3), and keeps at most {@code maxPairs}
     * (§6.1.2.5). Remote candidates without an IP literal (unresolved mDNS names) are left out until resolved.
     */
    public static List<CandidatePair> form(
            List<LocalCandidate> locals, List<IceCandidate> remotes, boolean controlling, int maxPairs) {
        Map<String, CandidatePair> byBaseAndRemote = new LinkedHashMap<>();
        for (LocalCandidate l : locals) {
            LocalCandidate local = asBase(l);
            for (IceCandidate r : remotes) {
                Optional<InetSocketAddress> remote = r.socketAddress();
                if (remote.isEmpty() || !compatible(local, r, remote.get())) {
                    continue;
                }
                CandidatePair pair = CandidatePair.of(local, r, controlling);
                String key = local.base() + "|" + local.candidate().transport() + "|" + r.address() + ":" + r.port()
                        + "|" + r.component();
                byBaseAndRemote.merge(key, pair, (a, b) -> a.priority() >= b.priority() ? a : b);
            }
        }
        List<CandidatePair> pairs = new ArrayList<>(byBaseAndRemote.values());
        pairs.sort(Comparator.comparingLong(CandidatePair::priority).reversed());
        return pairs.size() > maxPairs ? List.copyOf(pairs.subList(0, maxPairs)) : List.copyOf(pairs);
    }

    /**
     * Initial states (§6.1.2.6): per pair foundation, the pair with the lowest component id and, among those,
     * the highest priority starts Waiting; every other pair starts Frozen. Returns the states in the order of
     * {@code orderedPairs}.
     */
    public static List<PairState> initialStates(List<CandidatePair> orderedPairs) {
        Map<String, Integer> chosen = new HashMap<>();
        for (int i = 0; i < orderedPairs.size(); i++) {
            CandidatePair p = orderedPairs.get(i);
            Integer best = chosen.get(p.foundation());
            if (best == null || p.component() < orderedPairs.get(best).component()) {
                chosen.put(p.foundation(), i); // the list is by priority, so the first of a component wins
            }
        }
        List<PairState> states = new ArrayList<>(orderedPairs.size());
        for (int i = 0; i < orderedPairs.size(); i++) {
            states.add(chosen.get(orderedPairs.get(i).foundation()) == i ? PairState.WAITING : PairState.FROZEN);
        }
        return states;
    }

    // §6.1.2.4: a server-reflexive local candidate is checked from its base, as a host candidate
    private static LocalCandidate asBase(LocalCandidate l) {
        IceCandidate c = l.candidate();
        if (c.type() != CandidateType.SERVER_REFLEXIVE) {
            return l;
        }
        IceCandidate base = new IceCandidate(c.foundation(), c.component(), c.transport(), c.priority(),
                l.base().getAddress().getHostAddress(), l.base().getPort(), c.type(), c.relatedAddress(),
                c.relatedPort(), c.tcpType(), c.extensions());
        return new LocalCandidate(base, l.base());
    }

    private static boolean compatible(LocalCandidate local, IceCandidate r, InetSocketAddress remote) {
        IceCandidate l = local.candidate();
        if (l.component() != r.component() || l.transport() != r.transport()) {
            return false;
        }
        boolean localV4 = local.sendAddress().getAddress() instanceof Inet4Address;
        if (localV4 != remote.getAddress() instanceof Inet4Address) {
            return false;
        }
        // link-local addresses only pair with link-local ones (RFC 8445 §6.1.2.2)
        if (local.sendAddress().getAddress().isLinkLocalAddress() != remote.getAddress().isLinkLocalAddress()) {
            return false;
        }
        if (l.transport() == IceTransport.TCP) {
            // RFC 6544 §6.2: active pairs with passive, passive with active, so with so
            return switch (l.tcpType()) {
                case ACTIVE -> r.tcpType() == TcpType.PASSIVE;
                case PASSIVE -> r.tcpType() == TcpType.ACTIVE;
                case SIMULTANEOUS_OPEN -> r.tcpType() == TcpType.SIMULTANEOUS_OPEN;
            };
        }
        return true;
    }
}
