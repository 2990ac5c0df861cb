package io.rtc4j.netns;

import io.rtc4j.ice.CandidatePair;
import io.rtc4j.ice.IceCandidate;
import io.rtc4j.ice.IceCandidateParser;
import io.rtc4j.ice.IceConnectionState;
import io.rtc4j.ice.IceCredentials;
import io.rtc4j.ice.IceParseException;
import io.rtc4j.ice.IceRole;
import io.rtc4j.ice.net.IceDriverEvent;
import io.rtc4j.ice.net.IceDriverListener;
import io.rtc4j.ice.net.IceUdpConfig;
import io.rtc4j.ice.net.IceUdpDriver;
import io.rtc4j.stun.PacketKind;
import io.rtc4j.testkit.netns.Ipv4Cidr;
import io.rtc4j.turn.client.TurnClientConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only main: one ICE agent on rtc4j's real UDP driver ({@link IceUdpDriver}), run by
 * {@link IceNatTraversalNetnsTest} inside a host's namespace (a socket belongs to the namespace of the
 * process that opened it). It talks to the test by lines:
 *
 * <ul>
 *   <li>out: {@code CREDENTIALS <ufrag> <pwd>}, {@code CANDIDATE <candidate:...>} per gathered candidate,
 *       {@code GATHERED} at end of gathering;
 *   <li>in: the file {@code remoteFile}, written atomically by the test, with the peer's {@code CREDENTIALS}
 *       and {@code CANDIDATE} lines;
 *   <li>out: {@code STATE <state>}, {@code SELECTED <local type> <remote type> <local> <remote>}, then
 *       {@code RECEIVED <n> <text> from <address>} for each of the first {@value #REPORTED} application
 *       datagrams that arrive once the agent is {@code COMPLETED} (its pair nominated) from that pair's remote
 *       address ({@code OFF_PAIR ...} for datagrams from elsewhere; earlier ones are only counted).
 *       Once connected it sends one datagram every {@value #SEND_INTERVAL_MS} ms on the selected pair until the
 *       test ends it (or its own bound passes: {@code GAVE_UP}).
 * </ul>
 *
 * <p>Arguments: {@code name controlling|controlled hostIp stunServer turnServer turnUser turnPassword remoteFile}.
 */
public final class NetnsIceAgent {
    static final int REPORTED = 5;
    static final long SEND_INTERVAL_MS = 50;
    private static final Duration BOUND = Duration.ofSeconds(90);
    /** Application datagrams start with an RTP-like first byte (RFC 7983: 128-191), so the demux passes them up. */
    private static final byte[] MARKER = {(byte) 0x80, 0x60};

    private NetnsIceAgent() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            throw new IllegalArgumentException("name role hostIp stun turn user password remoteFile");
        }
        String name = args[0];
        IceRole role = IceRole.valueOf(args[1].toUpperCase(java.util.Locale.ROOT));
        Path remoteFile = Path.of(args[7]);
        BlockingQueue<IceDriverEvent> events = new LinkedBlockingQueue<>();
        AtomicInteger received = new AtomicInteger();
        AtomicInteger offPair = new AtomicInteger();
        AtomicInteger early = new AtomicInteger();
        // Events and datagrams both arrive on the driver's thread: printing there keeps the output causal.
        IceDriverListener listener = new IceDriverListener() {
            private InetSocketAddress selectedRemote;
            private boolean completed;

            @Override
            public void onEvent(IceDriverEvent event) {
                switch (event) {
                    case IceDriverEvent.CandidateGathered c -> say("CANDIDATE " + c.candidate().toSdp());
                    case IceDriverEvent.GatheringCompleted g -> say("GATHERED");
                    case IceDriverEvent.StateChanged s -> {
                        // COMPLETED: the pair is nominated (RFC 8445 §8.1); CONNECTED may be a valid pair the
                        // agent uses before nomination, as browsers do, and may still change.
                        completed = s.state() == IceConnectionState.COMPLETED;
                        say("STATE " + s.state());
                    }
                    case IceDriverEvent.SelectedPairChanged p -> {
                        selectedRemote = p.pair().remote().socketAddress().orElse(null);
                        say("SELECTED " + describe(p.pair()));
                    }
                    case IceDriverEvent.RemoteCandidateLearned r -> say("LEARNED " + r.candidate().toSdp());
                    case IceDriverEvent.RoleChanged r -> say("ROLE " + r.role());
                    case IceDriverEvent.RelayFailed f -> say("RELAY_FAILED " + f.server() + " " + f.reason());
                    case IceDriverEvent.IceRestarted r -> say("RESTARTED " + r.generation());
                }
                events.add(event);
            }

            @Override
            public void onDatagram(PacketKind kind, InetSocketAddress local, InetSocketAddress remote, ByteBuffer data) {
                String text = data.remaining() > MARKER.length
                        ? StandardCharsets.UTF_8.decode(data.duplicate().position(data.position() + MARKER.length)).toString()
                        : "";
                // Only data on the nominated pair counts: from its remote end, once ICE has completed.
                if (!completed) {
                    early.incrementAndGet();
                    return;
                }
                if (!remote.equals(selectedRemote)) {
                    if (offPair.incrementAndGet() <= REPORTED) {
                        say("OFF_PAIR " + text + " from " + StunMappingProbe.format(remote) + " at " + StunMappingProbe.format(local));
                    }
                    return;
                }
                int n = received.incrementAndGet();
                if (n <= REPORTED) {
                    say("RECEIVED " + n + " " + text + " from " + StunMappingProbe.format(remote));
                }
            }
        };
        IceUdpConfig config = IceUdpConfig.builder(role)
                .hostAddress(Ipv4Cidr.literal(args[2]))
                .ipv6(false)
                .stunServer(StunMappingProbe.parse(args[3]))
                .turnServer(StunMappingProbe.parse(args[4]), TurnClientConfig.builder(args[5], args[6]).build())
                .build();
        long deadline = System.nanoTime() + BOUND.toNanos();
        try (IceUdpDriver driver = IceUdpDriver.start(config, listener)) {
            IceCredentials local = driver.localCredentials();
            say("CREDENTIALS " + local.ufrag() + " " + local.pwd());
            boolean remoteApplied = false;
            boolean gathered = false;
            int sent = 0;
            long nextSend = 0;
            while (System.nanoTime() < deadline) {
                IceDriverEvent e = events.poll(10, TimeUnit.MILLISECONDS);
                if (e instanceof IceDriverEvent.GatheringCompleted) {
                    gathered = true;
                }
                if (gathered && !remoteApplied && Files.exists(remoteFile)) {
                    applyRemote(driver, Files.readAllLines(remoteFile, StandardCharsets.UTF_8));
                    remoteApplied = true;
                    say("REMOTE_APPLIED");
                }
                IceConnectionState state = driver.state();
                boolean up = state == IceConnectionState.CONNECTED || state == IceConnectionState.COMPLETED;
                if (up && driver.selectedPair().isPresent() && System.nanoTime() >= nextSend) {
                    sent++;
                    byte[] text = ("data " + name + " " + sent).getBytes(StandardCharsets.UTF_8);
                    ByteBuffer b = ByteBuffer.allocate(MARKER.length + text.length).put(MARKER).put(text).flip();
                    driver.send(b);
                    nextSend = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SEND_INTERVAL_MS);
                }
            }
            say("GAVE_UP state=" + driver.state() + " sent=" + sent + " received=" + received.get() + " offPair=" + offPair.get() + " early=" + early.get() + " " + driver.stats());
        }
    }

    private static void applyRemote(IceUdpDriver driver, List<String> lines) throws IceParseException {
        for (String line : lines) {
            if (line.startsWith("CREDENTIALS ")) {
                String[] f = line.split(" ");
                driver.setRemoteCredentials(new IceCredentials(f[1], f[2]));
            }
        }
        for (String line : lines) {
            if (line.startsWith("CANDIDATE ")) {
                IceCandidate c = IceCandidateParser.parse(line.substring("CANDIDATE ".length()));
                driver.addRemoteCandidate(c);
            }
        }
        driver.endOfRemoteCandidates();
    }

    static String describe(CandidatePair pair) {
        return pair.local().candidate().type().sdpName() + " " + pair.remote().type().sdpName() + " "
                + pair.local().candidate().address() + ":" + pair.local().candidate().port() + " "
                + pair.remote().address() + ":" + pair.remote().port();
    }

    private static void say(String line) {
        synchronized (System.out) {
            System.out.println(line);
            System.out.flush();
        }
    }

}
