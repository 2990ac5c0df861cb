package io.rtc4j.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class Rtc4jTurnProcessTest {
    @Test
    void passesCoturnStyleOptionsAndFailsFastWhenTheJvmExits() {
        // The testkit's classpath has no io.rtc4j.server.Main: the JVM exits at once, and start() must report
        // that with the JVM's own output rather than wait out its bound.
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Rtc4jTurnProcess.builder()
                        .user("alice", "secret")
                        .allowedPeerIp("127.0.0.1")
                        .startTimeout(Duration.ofMinutes(2))
                        .start())
                .isInstanceOf(ManagedProcess.ProcessException.class)
                .hasMessageContaining("io.rtc4j.server.Main turn --listening-ip 127.0.0.1 --listening-port")
                .hasMessageContaining("--user alice:secret")
                .hasMessageContaining("--allowed-peer-ip 127.0.0.1")
                .hasMessageContaining("--min-port")
                .hasMessageContaining("ClassNotFoundException");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMinutes(1));
    }
}
