package io.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Options of `rtc4j server` are validated before anything binds; the TURN user name is safe for any peer id. */
class ServerCommandOptionsTest {
    private static ServerCommand parse(String... args) {
        ServerCommand c = new ServerCommand();
        new CommandLine(c).parseArgs(args);
        return c;
    }

    @Test
    void invalidCombinationsAreRejectedBeforeStarting() {
        for (List<String> args : List.of(
                List.of("--api-key", "0123456789abcdefXYZ"),
                List.of("--duplicate-peer", "maybe"),
                List.of("--token-secret", "short"),
                List.of("--room-capacity", "0"),
                List.of("--ping-interval", "30", "--idle-timeout", "10"),
                List.of("--ice-server", "http://not-ice"),
                List.of("-c", "/nonexistent/turnserver.conf"))) {
            assertThatThrownBy(() -> parse(args.toArray(String[]::new)).start()).as(args.toString())
                    .isInstanceOf(CommandLine.ParameterException.class);
        }
    }

    @Test
    void turnUserNamesAndUrls() {
        assertThat(EmbeddedTurnIceServers.userName("alice:x y/ü")).isEqualTo("alice_x_y__");
        var ice = new EmbeddedTurnIceServers(new byte[] {1, 2, 3}, null, 3478, 0, java.time.Duration.ofHours(1), List.of());
        var servers = ice.iceServers(new io.rtc4j.signaling.RoomId("r"), new io.rtc4j.signaling.PeerId("p"), "[::1]",
                Instant.ofEpochSecond(1000));
        assertThat(servers.get(0).urls()).containsExactly("stun:[::1]:3478");
        assertThat(servers.get(1).urls()).containsExactly("turn:[::1]:3478?transport=udp", "turn:[::1]:3478?transport=tcp");
        assertThat(servers.get(1).username()).isEqualTo("4600:p");
        assertThat(servers.get(1).credential()).isEqualTo(io.rtc4j.turn.TurnCredentials.password(new byte[] {1, 2, 3}, "4600:p"));
    }
}
