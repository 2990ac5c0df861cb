package io.rtc4j.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CoturnConfigFileTest {
    @Test
    void turnsLinesIntoArgumentsAndReportsUnknownKeys() {
        List<String> warnings = new ArrayList<>();
        List<String> args = CoturnConfigFile.toArguments(List.of(
                        "# a comment",
                        "",
                        "listening-port=3479",
                        "realm \"example.org\"",
                        "lt-cred-mech",
                        "  --user=alice:pw  ",
                        "user=bob:0x0123456789abcdef0123456789abcdef",
                        "syslog",
                        "redis-userdb=\"ip=127.0.0.1\""),
                "turnserver.conf",
                Set.of("listening-port", "realm", "lt-cred-mech", "user"),
                warnings::add);
        assertThat(args).containsExactly(
                "--listening-port=3479", "--realm=example.org", "--lt-cred-mech", "--user=alice:pw",
                "--user=bob:0x0123456789abcdef0123456789abcdef");
        assertThat(warnings).containsExactly(
                "turnserver.conf:8: 'syslog' is not supported by rtc4j and is ignored",
                "turnserver.conf:9: 'redis-userdb' is not supported by rtc4j and is ignored");
    }
}
