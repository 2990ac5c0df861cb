package io.rtc4j.server.signaling;

import io.rtc4j.server.turn.TurnCommand;
import io.rtc4j.signaling.ClasspathStaticFiles;
import io.rtc4j.signaling.DuplicatePeerPolicy;
import io.rtc4j.signaling.IceServer;
import io.rtc4j.signaling.IceServersProvider;
import io.rtc4j.signaling.SignalingConfig;
import io.rtc4j.signaling.SignalingServer;
import io.rtc4j.signaling.SignalingServerSettings;
import io.rtc4j.turn.IpRange;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rtc4j server}: the all-in-one server. HTTP (web app at /, SDK at /sdk/, /health, POST /token) and
 * WebSocket signaling at /ws on --http-port, plus the embedded STUN/TURN server with every option of
 * {@code rtc4j turn}; signaling hands each joined peer time-limited credentials for that TURN server.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the all-in-one server: web app, WebSocket signaling and STUN/TURN in one process.")
public final class ServerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServerCommand.class);

    @Mixin
    TurnCommand turn = new TurnCommand();

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP(S) and WebSocket port (default ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-threads", defaultValue = "0", description = "Event loops for HTTP/WebSocket; 0 = one per CPU (default).")
    int httpThreads;

    @Option(names = "--no-turn", description = "Signaling and web app only: no embedded STUN/TURN server.")
    boolean noTurn;

    @Option(names = "--turn-host", description = "Host name or address for the TURN URLs given to clients. Default: the host the client reached this server by.")
    String turnHost;

    @Option(names = "--ice-server", description = "Extra ICE server for clients: URL or URL,username,credential (repeatable).")
    List<String> extraIceServers = new ArrayList<>();

    @Option(names = "--turn-credential-ttl", defaultValue = "43200", description = "Lifetime of the TURN credentials given at join, seconds (default ${DEFAULT-VALUE}).")
    long credentialTtl;

    @Option(names = "--token-secret", description = "Require HS256 access tokens signed with this secret (at least 16 bytes) to join.")
    String tokenSecret;

    @Option(names = "--api-key", description = "Enable POST /token for callers sending 'Authorization: Bearer <key>' (needs --token-secret).")
    String apiKey;

    @Option(names = "--room-capacity", defaultValue = "16", description = "Peers per room (default ${DEFAULT-VALUE}).")
    int roomCapacity;

    @Option(names = "--duplicate-peer", defaultValue = "replace", description = "A join with a peer id already in the room: replace (the new connection wins) or reject. Default ${DEFAULT-VALUE}.")
    String duplicatePeer;

    @Option(names = "--max-message-bytes", defaultValue = "65536", description = "Largest signaling message (default ${DEFAULT-VALUE}).")
    int maxMessageBytes;

    @Option(names = "--rate-limit", defaultValue = "50", description = "Messages per second per connection (default ${DEFAULT-VALUE}).")
    double rateLimit;

    @Option(names = "--rate-burst", defaultValue = "200", description = "Burst of messages per connection (default ${DEFAULT-VALUE}).")
    int rateBurst;

    @Option(names = "--ping-interval", defaultValue = "10", description = "WebSocket ping after this many quiet seconds (default ${DEFAULT-VALUE}).")
    long pingSeconds;

    @Option(names = "--idle-timeout", defaultValue = "30", description = "Close connections silent for this many seconds (default ${DEFAULT-VALUE}).")
    long idleSeconds;

    @Override
    public Integer call() throws Exception {
        Running running = start();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            running.close();
            done.countDown();
        }, "shutdown"));
        done.await();
        return 0;
    }

    /** Validates the options, then starts TURN and signaling; also used by tests. */
    public Running start() throws Exception {
        CommandLine cl = new CommandLine(this);
        if (turn.hasConfigFile()) {
            throw new CommandLine.ParameterException(cl, "-c/--config (coturn's file) is read by `rtc4j turn` only; give options here");
        }
        if (apiKey != null && tokenSecret == null) {
            throw new CommandLine.ParameterException(cl, "--api-key needs --token-secret");
        }
        DuplicatePeerPolicy policy = switch (duplicatePeer) {
            case "replace" -> DuplicatePeerPolicy.REPLACE;
            case "reject" -> DuplicatePeerPolicy.REJECT;
            default -> throw new CommandLine.ParameterException(cl, "--duplicate-peer is replace or reject");
        };
        List<IceServer> extra = new ArrayList<>();
        for (String s : extraIceServers) {
            String[] parts = s.split(",", -1);
            if (parts.length != 1 && parts.length != 3 || !parts[0].matches("(stun|stuns|turn|turns):\\S+")) {
                throw new CommandLine.ParameterException(cl, "--ice-server is URL or URL,username,credential: " + s);
            }
            extra.add(parts.length == 1 ? IceServer.stun(parts[0]) : new IceServer(List.of(parts[0]), parts[1], parts[2]));
        }
        SignalingConfig config;
        try {
            config = SignalingConfig.builder()
                    .maxPeersPerRoom(roomCapacity)
                    .maxMessageBytes(maxMessageBytes)
                    .rateLimit(rateLimit, rateBurst)
                    .duplicatePeerPolicy(policy)
                    .heartbeat(Duration.ofSeconds(pingSeconds), Duration.ofSeconds(idleSeconds))
                    .tokenSecret(tokenSecret == null ? null : tokenSecret.getBytes(StandardCharsets.UTF_8))
                    .build();
            if (httpThreads < 0) {
                throw new IllegalArgumentException("--http-threads must be >= 0");
            }
            if (credentialTtl < 60) {
                throw new IllegalArgumentException("--turn-credential-ttl must be at least 60 seconds");
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
        List<InetAddress> addresses = new ArrayList<>();
        for (String ip : turn.listeningIps()) {
            IpRange r = IpRange.parse(ip.strip());
            addresses.add(r.start());
        }
        SSLContext https = turn.certificateContext();
        TurnCommand.RunningTurn turnServer = null;
        IceServersProvider ice = IceServersProvider.NONE;
        if (!noTurn) {
            String secret = turn.prepareEmbedded();
            turnServer = turn.start();
            ice = new EmbeddedTurnIceServers(secret.getBytes(StandardCharsets.UTF_8), turnHost, turn.listeningPort(),
                    https != null ? turn.tlsListeningPort() : 0, Duration.ofSeconds(credentialTtl), extra);
        } else if (!extra.isEmpty()) {
            List<IceServer> fixed = List.copyOf(extra);
            ice = (room, peer, host, now) -> fixed;
        }
        SignalingServer signaling;
        try {
            SignalingServerSettings settings = new SignalingServerSettings(addresses, httpPort, https,
                    new ClasspathStaticFiles(ServerCommand.class.getClassLoader(), "web/"), apiKey, httpThreads);
            signaling = SignalingServer.start(settings, config, ice, Clock.systemUTC());
        } catch (Exception e) {
            if (turnServer != null) {
                turnServer.close();
            }
            throw e;
        }
        String scheme = https != null ? "https" : "http";
        String shown = addresses.isEmpty() ? "127.0.0.1" : addresses.get(0).getHostAddress();
        log.info("event=server_ready web=\"{}://{}:{}/\" signaling=\"{}://{}:{}/ws\" turn={} tokens={}",
                scheme, shown.contains(":") ? "[" + shown + "]" : shown, signaling.port(),
                https != null ? "wss" : "ws", shown.contains(":") ? "[" + shown + "]" : shown, signaling.port(),
                noTurn ? "off" : "udp+tcp/" + turn.listeningPort(), tokenSecret != null ? "required" : "off");
        return new Running(signaling, turnServer);
    }

    /** The signaling server and the embedded TURN server; closing stops both. */
    public record Running(SignalingServer signaling, TurnCommand.RunningTurn turn) implements AutoCloseable {
        @Override
        public void close() {
            signaling.close();
            if (turn != null) {
                turn.close();
            }
        }
    }
}
