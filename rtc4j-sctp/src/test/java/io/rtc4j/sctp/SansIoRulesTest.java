package io.rtc4j.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** ENGINEERING.md §3.4/§3.7: engines take time and randomness from the caller and keep no static mutable state. */
class SansIoRulesTest {
    private static final List<String> FORBIDDEN = List.of("Instant.now(", "System.nanoTime(",
            "System.currentTimeMillis(", "new Random(", "new SplittableRandom(", "SecureRandom", "Thread.",
            "ThreadLocalRandom", "Executor", "DatagramSocket", "DatagramChannel", "Clock.system");

    @Test
    void mainCodeNeverReadsTheClockOrMakesRandomnessOrThreads() throws IOException {
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                for (String bad : FORBIDDEN) {
                    assertThat(src).as("%s uses %s", f, bad).doesNotContain(bad);
                }
                assertThat(src).as("%s: static mutable state", f)
                        .doesNotContainPattern("static (?!final)[A-Za-z<>\\[\\], ]+ [a-zA-Z_]+\\s*(=|;)");
            }
        }
    }
}
