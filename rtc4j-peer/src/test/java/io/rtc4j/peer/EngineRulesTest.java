package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine half of rtc4j-peer stays sans-IO (ENGINEERING.md §1, §3.4): the classes the driver feeds never read
 * a clock, make randomness, threads or sockets; and no class of the module has static mutable state.
 */
class EngineRulesTest {
    private static final List<String> ENGINE = List.of("PeerCore.java", "PeerSignaling.java", "PeerChannels.java",
            "PeerOutput.java", "PeerEvent.java");
    private static final List<String> FORBIDDEN = List.of("Instant.now(", "System.nanoTime(", "System.currentTimeMillis(",
            "new Random(", "new SplittableRandom(", "new SecureRandom(", "Thread.of", "new Thread(", "ThreadLocalRandom",
            "Executor", "DatagramSocket", "DatagramChannel", "InstantSource", "Clock.system", "sleep(");

    @Test
    void engineClassesNeverReadTheClockOrMakeRandomnessThreadsOrSockets() throws IOException {
        Path dir = Path.of("src/main/java/io/rtc4j/peer");
        for (String name : ENGINE) {
            String src = Files.readString(dir.resolve(name));
            for (String bad : FORBIDDEN) {
                assertThat(src).as("%s uses %s", name, bad).doesNotContain(bad);
            }
        }
    }

    @Test
    void noStaticMutableState() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                assertThat(Files.readString(f)).as("%s: static mutable state", f)
                        .doesNotContainPattern("static (?!final)[A-Za-z<>\\[\\], ]+ [a-zA-Z_]+\\s*(=|;)");
            }
        }
    }
}
