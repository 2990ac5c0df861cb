package io.rtc4j.server.turn;

import io.rtc4j.turn.TurnCredentials;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Mints coturn-compatible time-limited TURN credentials (draft-uberti-behave-turn-rest) as JSON. */
@Command(
        name = "turn-credentials",
        mixinStandardHelpOptions = true,
        description = "Print time-limited TURN credentials for a shared secret (coturn's use-auth-secret) as JSON.")
public final class TurnCredentialsCommand implements Callable<Integer> {
    @Option(names = "--secret", required = true, description = "The shared secret (static-auth-secret).")
    String secret;

    @Option(names = "--user", defaultValue = "", description = "User name embedded after the expiry (optional).")
    String user;

    @Option(names = "--ttl", defaultValue = "86400", description = "Validity in seconds (default ${DEFAULT-VALUE}).")
    long ttl;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Host for the uris (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "3478", description = "TURN port for the uris.")
    int port;

    @Option(names = "--tls-port", defaultValue = "5349", description = "TURNS port for the uris, 0 for none.")
    int tlsPort;

    @Override
    public Integer call() {
        if (ttl <= 0) {
            System.err.println("--ttl must be positive");
            return 2;
        }
        TurnCredentials c = TurnCredentials.mint(
                secret.getBytes(StandardCharsets.UTF_8), user, Duration.ofSeconds(ttl), Instant.now());
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        List<String> uris = new java.util.ArrayList<>(List.of(
                "turn:" + h + ":" + port + "?transport=udp", "turn:" + h + ":" + port + "?transport=tcp"));
        if (tlsPort > 0) {
            uris.add("turns:" + h + ":" + tlsPort + "?transport=tcp");
        }
        StringBuilder json = new StringBuilder("{\"username\":").append(Json.quote(c.username()))
                .append(",\"password\":").append(Json.quote(c.password()))
                .append(",\"ttl\":").append(c.ttlSeconds())
                .append(",\"uris\":[");
        for (int i = 0; i < uris.size(); i++) {
            json.append(i == 0 ? "" : ",").append(Json.quote(uris.get(i)));
        }
        System.out.println(json.append("]}"));
        return 0;
    }
}
