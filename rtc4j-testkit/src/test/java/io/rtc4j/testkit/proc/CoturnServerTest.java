package io.rtc4j.testkit.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs Debian's coturn package, which .ci/run installs. */
class CoturnServerTest {
    @Test
    void startsOnLoopbackAnswersStunAndStopsOnClose(@TempDir Path dir) {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        CoturnServer server = CoturnServer.builder()
                .user("alice", "secret")
                .allowedPeerIp("127.0.0.1")
                .tls(cert)
                .start();
        try (server) {
            assertThat(server.process().isAlive()).isTrue();
            assertThat(server.tlsListeningPort()).isPresent();
            assertThat(server.process().command()).contains("-n", "--no-cli", "--allow-loopback-peers");
            assertThat(server.process().command()).doesNotContain("--no-tls");
            assertThat(Probes.stunBindingAnswered(server.listeningAddress(), Duration.ofSeconds(5), () -> true))
                    .isTrue();
            assertThat(server.process().output()).contains("Certificate file found");
        }
        assertThat(server.process().isAlive()).isFalse();
    }

    @Test
    void aServerThatDiesAtStartFailsFastWithItsOutput() {
        assertThatThrownBy(() -> CoturnServer.builder()
                        .user("alice", "secret")
                        .extraArgs("--no-such-coturn-option")
                        .startTimeout(Duration.ofMinutes(2))
                        .start())
                .isInstanceOf(ManagedProcess.ProcessException.class)
                .hasMessageContaining("exited before answering a STUN Binding request")
                .hasMessageContaining("turnserver");
    }
}
