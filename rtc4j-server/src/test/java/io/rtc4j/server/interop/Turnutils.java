package io.rtc4j.server.interop;

import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.Probes;
import io.rtc4j.testkit.proc.Tools;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs coturn's client tools ({@code turnutils_uclient}, {@code turnutils_peer}, {@code turnutils_stunclient};
 * Debian package coturn) and the old Vovida {@code stun} client (package stun-client) against servers on
 * loopback, each with a bound, and parses what they print. Formats were taken from coturn 4.6.1 and
 * stun-client 0.97 on Debian 12; the parsers look for the few stable phrases, not whole lines.
 *
 * <p>Quirks worth knowing:
 *
 * <ul>
 *   <li>uclient {@code -S} means TLS only together with {@code -t}; alone it is DTLS.
 *   <li>uclient {@code -s} relays with Send/Data indications (CreatePermission); without it, ChannelBind and
 *       ChannelData. {@code -c} is something else: no RTCP allocations. Without {@code -c} every second
 *       allocation is an RTCP one, made with EVEN-PORT (R bit) and then RESERVATION-TOKEN.
 *   <li>uclient starts each client 1-6 s after connecting (random), and waits up to 10 s for missing echoes,
 *       so one run takes 2-7 s when nothing is lost and about 10 s more when something is.
 *   <li>uclient exits 255 when an allocation or permission fails (e.g. "channel bind: error 403").
 *   <li>turnutils_stunclient has no timeout: it blocks forever on a server that does not answer.
 *   <li>{@code stun} speaks RFC 3489 (no magic cookie, CHANGE-REQUEST attribute even in test 1) and needs a
 *       MAPPED-ADDRESS in the answer; its exit code is a NAT-type bit mask, not success/failure.
 * </ul>
 */
final class Turnutils {
    /** Bound for one uclient run: start jitter (6 s) + sending + 10 s tail wait on loss, with room to spare. */
    static final Duration UCLIENT_BOUND = Duration.ofSeconds(60);

    static final Duration STUN_BOUND = Duration.ofSeconds(15);

    private Turnutils() {}

    /** How uclient reaches the TURN server. */
    enum Transport {
        UDP(),
        TCP("-t"),
        TLS("-t", "-S"),
        DTLS("-S");

        final List<String> flags;

        Transport(String... flags) {
            this.flags = List.of(flags);
        }

        boolean secure() {
            return this == TLS || this == DTLS;
        }
    }

    /** How uclient relays to the peer. */
    enum Relay {
        /** ChannelBind, then ChannelData (uclient's default). */
        CHANNELS(),
        /** CreatePermission, then Send and Data indications ({@code -s}). */
        SEND_INDICATIONS("-s");

        final List<String> flags;

        Relay(String... flags) {
            this.flags = List.of(flags);
        }
    }

    /**
     * One uclient run: {@code clients} allocations each sending {@code messages} messages of {@code length}
     * bytes to the peer, which echoes them back.
     *
     * @param user for long-term credentials (-u/-w) the user name; for REST (-W) the name part of the
     *     "expiry:name" user name that uclient builds
     * @param password the long-term password, or null when {@code restSecret} is set
     * @param restSecret the TURN REST API shared secret, or null
     * @param rtcp false adds {@code -c}: plain allocations only, no EVEN-PORT/RESERVATION-TOKEN pair
     */
    record Uclient(
            InetSocketAddress server,
            Transport transport,
            Relay relay,
            String user,
            String password,
            String restSecret,
            InetSocketAddress peer,
            int messages,
            int clients,
            int length,
            boolean rtcp) {

        List<String> args() {
            List<String> a = new ArrayList<>(transport.flags);
            a.addAll(relay.flags);
            if (!rtcp) {
                a.add("-c");
            }
            a.addAll(List.of("-u", user));
            if (restSecret != null) {
                a.addAll(List.of("-W", restSecret));
            } else {
                a.addAll(List.of("-w", password));
            }
            a.addAll(List.of("-p", String.valueOf(server.getPort())));
            a.addAll(List.of("-e", peer.getAddress().getHostAddress(), "-r", String.valueOf(peer.getPort())));
            a.addAll(List.of("-n", String.valueOf(messages), "-m", String.valueOf(clients)));
            a.addAll(List.of("-l", String.valueOf(length)));
            a.add(server.getAddress().getHostAddress());
            return a;
        }

        int expectedMessages() {
            return messages * clients;
        }
    }

    /**
     * What uclient reported at the end of a run.
     *
     * @param sent its final {@code tot_send_msgs}
     * @param received its final {@code tot_recv_msgs}
     * @param lost from "Total lost packets N (x%)"
     * @param lossPercent x from the same line; NaN when uclient printed nan (nothing was sent)
     * @param transmitSeconds from "Total transmit time is N", if printed
     * @param errors lines mentioning an error, for messages
     */
    record UclientSummary(
            long sent,
            long received,
            long lost,
            double lossPercent,
            OptionalLong transmitSeconds,
            List<String> errors) {}

    private static final Pattern TOTALS = Pattern.compile(
            "tot_send_msgs\\s*=\\s*(\\d+)\\s*,\\s*tot_recv_msgs\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LOST = Pattern.compile(
            "Total\\s+lost\\s+packets\\s+(\\d+)\\s*\\(\\s*([-+]?(?:nan|inf|[0-9.eE+-]+))\\s*%?\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TRANSMIT =
            Pattern.compile("Total\\s+transmit\\s+time\\s+is\\s+(\\d+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ERROR = Pattern.compile("error|cannot|failed|forbidden", Pattern.CASE_INSENSITIVE);

    /**
     * Parses uclient's output. The totals are the last {@code tot_send_msgs=.., tot_recv_msgs=..} pair (the
     * per-second statistics lines print the same pair; the final summary comes last).
     *
     * @return empty if the output has no final totals or no "Total lost packets" line
     */
    static Optional<UclientSummary> parseUclient(String output) {
        long sent = -1;
        long received = -1;
        Matcher totals = TOTALS.matcher(output);
        while (totals.find()) {
            sent = Long.parseLong(totals.group(1));
            received = Long.parseLong(totals.group(2));
        }
        Matcher lost = LOST.matcher(output);
        long lostCount = -1;
        double lossPercent = Double.NaN;
        while (lost.find()) {
            lostCount = Long.parseLong(lost.group(1));
            lossPercent = parsePercent(lost.group(2));
        }
        if (sent < 0 || lostCount < 0) {
            return Optional.empty();
        }
        OptionalLong transmit = OptionalLong.empty();
        Matcher t = TRANSMIT.matcher(output);
        while (t.find()) {
            transmit = OptionalLong.of(Long.parseLong(t.group(1)));
        }
        List<String> errors =
                output.lines().filter(l -> ERROR.matcher(l).find()).limit(20).toList();
        return Optional.of(new UclientSummary(sent, received, lostCount, lossPercent, transmit, errors));
    }

    private static double parsePercent(String s) {
        String v = s.toLowerCase(Locale.ROOT).replace("+", "");
        if (v.contains("nan")) {
            return Double.NaN;
        }
        if (v.contains("inf")) {
            return Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(v);
    }

    /** The outcome of one tool run: exit code, parsed summary (if any) and the process for its output. */
    record UclientRun(Uclient request, int exitCode, Optional<UclientSummary> summary, String description) {}

    /** Runs uclient to completion (bounded by {@link #UCLIENT_BOUND}; killed on timeout) and parses it. */
    static UclientRun uclient(Uclient request) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Tools.require("turnutils_uclient", "coturn").toString());
        cmd.addAll(request.args());
        try (ManagedProcess p =
                ManagedProcess.builder(cmd).name("uclient").logToTargetDir().start()) {
            int code = p.awaitExit(UCLIENT_BOUND);
            return new UclientRun(request, code, parseUclient(p.output()), p.describe("uclient run"));
        }
    }

    /** Starts turnutils_peer, a UDP echo server, on {@code 127.0.0.1:port} and waits until it echoes. */
    static ManagedProcess peer(int port) {
        ManagedProcess p = ManagedProcess.builder(
                        Tools.require("turnutils_peer", "coturn").toString(),
                        "-L",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(port))
                .name("turnutils_peer")
                .logToTargetDir()
                .start();
        try {
            InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            if (!Probes.udpEchoed(at, Duration.ofSeconds(10), p::isAlive)) {
                throw new ManagedProcess.ProcessException(p.describe("does not echo on udp " + at));
            }
            return p;
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
    }

    /** A mapped (reflexive) transport address as a tool printed it. */
    record Mapped(InetAddress address, int port) {
        static Mapped parse(String ip, String port) {
            try {
                return new Mapped(InetAddress.getByName(ip), Integer.parseInt(port));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IP literal: " + ip, e);
            }
        }
    }

    /** The outcome of a STUN tool run: the first mapped address it printed, if any, and its output. */
    record StunRun(Optional<Mapped> mapped, Optional<Integer> exitCode, String description) {}

    // "0: : IPv4. UDP reflexive addr: 127.0.0.1:58953" (IPv6 would print [addr]:port).
    private static final Pattern REFLEXIVE = Pattern.compile(
            "reflexive addr(?:ess)?\\s*:?\\s*\\[?([0-9a-fA-F:.]+?)\\]?:(\\d+)\\s*$", Pattern.CASE_INSENSITIVE);
    // "MappedAddress = 127.0.0.1:34996" (and "mappedAddr=127.0.0.1:34996" in the summary block).
    private static final Pattern STUN_MAPPED =
            Pattern.compile("mapped\\s*addr(?:ess)?\\s*=\\s*([0-9.]+):(\\d+)", Pattern.CASE_INSENSITIVE);

    static Optional<Mapped> parseStunclient(String output) {
        return firstMatch(REFLEXIVE, output);
    }

    static Optional<Mapped> parseStun(String output) {
        return firstMatch(STUN_MAPPED, output);
    }

    private static Optional<Mapped> firstMatch(Pattern p, String output) {
        for (String line : output.lines().toList()) {
            Matcher m = p.matcher(line);
            if (m.find()) {
                return Optional.of(Mapped.parse(m.group(1), m.group(2)));
            }
        }
        return Optional.empty();
    }

    /** turnutils_stunclient: one RFC 5389 Binding request from an ephemeral port on 127.0.0.1. */
    static StunRun stunclient(InetSocketAddress server) {
        requireLoopback(server);
        return runStunTool(
                List.of(
                        Tools.require("turnutils_stunclient", "coturn").toString(),
                        "-L",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(server.getPort()),
                        server.getAddress().getHostAddress()),
                "turnutils_stunclient",
                Turnutils::parseStunclient);
    }

    /**
     * Debian's {@code stun} (stun-client 0.97): test 1 only, i.e. one RFC 3489 Binding request from
     * {@code 127.0.0.1:localPort}, verbose so that it prints the MAPPED-ADDRESS. The server port must be given:
     * without it the tool goes to 3478.
     */
    static StunRun stun(InetSocketAddress server, int localPort) {
        requireLoopback(server);
        return runStunTool(
                List.of(
                        Tools.require("stun", "stun-client").toString(),
                        server.getAddress().getHostAddress() + ":" + server.getPort(),
                        "1",
                        "-v",
                        "-p",
                        String.valueOf(localPort),
                        "-i",
                        "127.0.0.1"),
                "stun",
                Turnutils::parseStun);
    }

    private static StunRun runStunTool(List<String> cmd, String name, Function<String, Optional<Mapped>> parser) {
        try (ManagedProcess p =
                ManagedProcess.builder(cmd).name(name).logToTargetDir().start()) {
            boolean exited = p.waitFor(STUN_BOUND);
            Optional<Integer> code = exited ? Optional.of(p.exitCode().getAsInt()) : Optional.empty();
            return new StunRun(parser.apply(p.output()), code, p.describe(exited ? "finished" : "timed out"));
        }
    }

    private static void requireLoopback(InetSocketAddress a) {
        if (!a.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("interop tests only talk to loopback, not " + a);
        }
    }
}
