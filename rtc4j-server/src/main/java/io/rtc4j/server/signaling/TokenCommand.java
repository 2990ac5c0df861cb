package io.rtc4j.server.signaling;

import io.rtc4j.signaling.AccessToken;
import io.rtc4j.signaling.PeerId;
import io.rtc4j.signaling.RoomId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rtc4j token}: mints an HS256 access token for {@code rtc4j server --token-secret}. */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Print an access token (HS256 JWT) that lets a peer join a room of `rtc4j server --token-secret`.")
public final class TokenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--secret", required = true, description = "The server's --token-secret.")
    String secret;

    @Option(names = "--room", required = true, description = "Room the token grants.")
    String room;

    @Option(names = "--peer", description = "Peer id the token grants (default: any).")
    String peer;

    @Option(names = "--ttl", defaultValue = "3600", description = "Validity in seconds (default ${DEFAULT-VALUE}).")
    long ttl;

    @Override
    public Integer call() {
        try {
            AccessToken tokens = new AccessToken(secret.getBytes(StandardCharsets.UTF_8));
            String token = tokens.mint(new RoomId(room), peer == null ? null : new PeerId(peer), Duration.ofSeconds(ttl), Instant.now());
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
            return 0;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
