package io.rtc4j.ice.mdns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Multicast DNS for ICE (draft-ietf-mmusic-mdns-ice-candidates, RFC 6762), sans-IO: resolves the {@code
 * <uuid>.local} names browsers put in host candidates, and answers queries for names registered to hide our
 * own host addresses. One-shot queries are retransmitted after 1 s and 2 s and fail after 3 s in all. Only
 * {@code .local} names are asked, pending names and registrations are bounded, and malformed datagrams are
 * counted and dropped.
 */
public final class MdnsResolver {
    public static final InetSocketAddress GROUP_V4 = new InetSocketAddress("224.0.0.251", 5353);
    public static final InetSocketAddress GROUP_V6 = new InetSocketAddress("ff02::fb", 5353);
    static final int MAX_PENDING = 64;
    static final int MAX_REGISTERED = 32;
    private static final long TTL_SECONDS = 120; // RFC 6762 §10: host records
    private static final Duration[] RETRIES = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3)};

    /** What the driver gets from {@link #pollOutput()}. */
    public sealed interface Output {
        record Transmit(InetSocketAddress to, ByteBuffer data) implements Output {}

        record Resolved(String name, InetAddress address) implements Output {}

        record ResolveFailed(String name) implements Output {}

        record Timeout(Instant at) implements Output {}
    }

    private static final class Pending {
        final String name;
        final Instant started;
        int sent;
        Instant next;

        Pending(String name, Instant started) {
            this.name = name;
            this.started = started;
        }
    }

    private final boolean ipv6;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<String, InetAddress> registered = new HashMap<>();
    private final ArrayDeque<Output> outputs = new ArrayDeque<>();
    private long dropped;

    /** @param ipv6 query the IPv6 group ff02::fb instead of 224.0.0.251 */
    public MdnsResolver(boolean ipv6) {
        this.ipv6 = ipv6;
    }

    /** True for a name this resolver will ask about: {@code label(.label)*.local}, at most 255 bytes. */
    public static boolean isMdnsName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".local") && n.length() > 6 && n.length() <= 255
                && List.of(n.split("\\.")).stream().allMatch(l -> !l.isEmpty() && l.length() <= 63);
    }

    /** Starts resolving {@code name}; a result comes as {@link Output.Resolved} or {@link Output.ResolveFailed}. */
    public void resolve(Instant now, String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (!isMdnsName(name) || pending.size() >= MAX_PENDING) {
            outputs.add(new Output.ResolveFailed(name));
            return;
        }
        if (registered.containsKey(key)) {
            outputs.add(new Output.Resolved(name, registered.get(key)));
            return;
        }
        if (!pending.containsKey(key)) {
            Pending p = new Pending(name, now);
            pending.put(key, p);
            query(now, p);
        }
    }

    /** Answers queries for {@code name} with {@code address} (hiding a host address behind a name). */
    public void register(String name, InetAddress address) {
        if (!isMdnsName(name) || registered.size() >= MAX_REGISTERED) {
            throw new IllegalArgumentException("not an mDNS name, or too many: " + name);
        }
        registered.put(name.toLowerCase(Locale.ROOT), address);
    }

    /** A datagram received on the mDNS socket. */
    public void handleInput(Instant now, InetSocketAddress source, ByteBuffer data) {
        DnsMessage m;
        try {
            m = DnsCodec.decode(data);
        } catch (DnsParseException e) {
            dropped++;
            return;
        }
        if (!m.isResponse()) {
            answer(m);
            return;
        }
        for (List<DnsRecord> list : List.of(m.answers(), m.additionals())) {
            for (DnsRecord r : list) {
                Pending p = pending.get(r.name().toLowerCase(Locale.ROOT));
                if (p != null && r.address().isPresent()) {
                    pending.remove(r.name().toLowerCase(Locale.ROOT));
                    outputs.add(new Output.Resolved(p.name, r.address().get()));
                }
            }
        }
    }

    private void answer(DnsMessage query) {
        for (DnsQuestion q : query.questions()) {
            InetAddress a = registered.get(q.name().toLowerCase(Locale.ROOT));
            boolean wantsType = q.type() == DnsQuestion.TYPE_ANY
                    || (a instanceof Inet4Address ? q.type() == DnsQuestion.TYPE_A : q.type() == DnsQuestion.TYPE_AAAA);
            if (a != null && wantsType) {
                byte[] r = DnsCodec.encode(DnsMessage.response(List.of(DnsRecord.address(q.name(), a, TTL_SECONDS))));
                outputs.add(new Output.Transmit(ipv6 ? GROUP_V6 : GROUP_V4, ByteBuffer.wrap(r)));
            }
        }
    }

    public void handleTimeout(Instant now) {
        for (var it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (now.isBefore(p.next)) {
                continue;
            }
            if (p.sent >= RETRIES.length) {
                it.remove();
                outputs.add(new Output.ResolveFailed(p.name));
            } else {
                query(now, p);
            }
        }
    }

    public Output pollOutput() {
        Output o = outputs.poll();
        if (o != null) {
            return o;
        }
        Instant next = Instant.MAX;
        for (Pending p : pending.values()) {
            if (p.next.isBefore(next)) {
                next = p.next;
            }
        }
        return new Output.Timeout(next);
    }

    public long dropped() {
        return dropped;
    }

    private void query(Instant now, Pending p) {
        int type = ipv6 ? DnsQuestion.TYPE_AAAA : DnsQuestion.TYPE_A;
        byte[] q = DnsCodec.encode(DnsMessage.query(new DnsQuestion(p.name, type, DnsQuestion.CLASS_IN)));
        outputs.add(new Output.Transmit(ipv6 ? GROUP_V6 : GROUP_V4, ByteBuffer.wrap(q)));
        p.next = p.started.plus(RETRIES[p.sent]);
        p.sent++;
    }
}
