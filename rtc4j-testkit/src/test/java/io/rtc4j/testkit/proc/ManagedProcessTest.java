package io.rtc4j.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagedProcessTest {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void capturesStdoutAndStderrAndExitCode() {
        try (ManagedProcess p = ManagedProcess.start("sh", "-c", "echo out; echo err >&2; exit 3")) {
            assertThat(p.awaitExit(BOUND)).isEqualTo(3);
            assertThat(p.lines()).containsExactlyInAnyOrder("out", "err");
            assertThat(p.exitCode()).hasValue(3);
        }
    }

    @Test
    void awaitOutputReturnsTheMatchAndCloseEndsTheProcess() {
        ManagedProcess p = ManagedProcess.start("sh", "-c", "echo starting; echo 'ready on port 4242'; exec sleep 60");
        try (p) {
            MatchResult m = p.awaitOutput(Pattern.compile("ready on port (\\d+)"), BOUND);
            assertThat(m.group(1)).isEqualTo("4242");
            assertThat(p.isAlive()).isTrue();
        }
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void closeEndsTheWholeTreeEvenWhenChildrenIgnoreTerm() {
        // The child ignores SIGTERM, so close() must escalate to SIGKILL for it.
        ManagedProcess p = ManagedProcess.start(
                "sh", "-c", "sh -c 'trap \"\" TERM; echo child $$; while :; do sleep 1; done' & wait");
        long child;
        try (p) {
            child = Long.parseLong(
                    p.awaitOutput(Pattern.compile("child (\\d+)"), BOUND).group(1));
            assertThat(ProcessHandle.of(child)).isPresent();
        }
        assertThat(ProcessHandle.of(child).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void awaitOutputFailsFastWhenTheOutputEnds() {
        try (ManagedProcess p = ManagedProcess.start("sh", "-c", "echo bye")) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> p.awaitOutput(Pattern.compile("never"), Duration.ofMinutes(5)))
                    .isInstanceOf(ManagedProcess.ProcessException.class)
                    .hasMessageContaining("output ended")
                    .hasMessageContaining("bye");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(1));
        }
    }

    @Test
    void awaitOutputTimesOutWithTheTailInTheMessage() {
        try (ManagedProcess p = ManagedProcess.start("sh", "-c", "echo hello; exec sleep 60")) {
            p.awaitOutput(Pattern.compile("hello"), BOUND);
            assertThatThrownBy(() -> p.awaitOutput(Pattern.compile("never"), Duration.ofMillis(200)))
                    .isInstanceOf(ManagedProcess.ProcessException.class)
                    .hasMessageContaining("within 200 ms")
                    .hasMessageContaining("hello");
            assertThat(p.waitFor(Duration.ofMillis(50))).isFalse();
        }
    }

    @Test
    void keepsOnlyTheLastLinesButStillMatchesNewOnes() {
        try (ManagedProcess p = ManagedProcess.builder(
                        "sh", "-c", "i=1; while [ $i -le 500 ]; do echo line$i; i=$((i+1)); done")
                .maxLines(10)
                .start()) {
            p.awaitOutput(Pattern.compile("^line500$"), BOUND);
            assertThat(p.awaitExit(BOUND)).isZero();
            assertThat(p.lines()).hasSize(10).first().isEqualTo("line491");
            assertThat(p.tail(2)).isEqualTo("line499\nline500");
        }
    }

    @Test
    void writesALogFile(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("sub/p.log");
        try (ManagedProcess p = ManagedProcess.builder("sh", "-c", "echo one; echo two")
                .logFile(log)
                .start()) {
            assertThat(p.awaitExit(BOUND)).isZero();
        }
        assertThat(Files.readAllLines(log)).contains("one", "two");
    }

    @Test
    void unknownCommandFailsToStart() {
        assertThatThrownBy(() -> ManagedProcess.start("/nonexistent/rtc4j-no-such-binary"))
                .hasMessageContaining("cannot start");
    }
}
