package io.rtc4j.testkit.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * coturn's {@code turnserver} (Debian package {@code coturn}) on loopback: the reference server for rtc4j's
 * interop tests. Beyond the common {@link TurnServerOptions} it is always started with:
 *
 * <ul>
 *   <li>{@code -n}: no configuration file, so /etc/turnserver.conf (Debian's, with {@code syslog} and more)
 *       is never read;
 *   <li>{@code --log-file stdout}: everything to stdout, which {@link ManagedProcess} captures; no log files in
 *       /var/log or /var/tmp;
 *   <li>{@code --pidfile} and {@code --db} inside a scratch directory under target/: otherwise coturn writes
 *       /var/run/turnserver.pid and opens the SQLite user database /var/lib/turn/turndb;
 *   <li>{@code --no-cli} (no telnet CLI on 5766), {@code --relay-ip} = the listening IP;
 *   <li>{@code --no-tls --no-dtls} unless TLS was asked for (coturn's TLS port also serves DTLS);
 *   <li>{@code --allow-loopback-peers} when an allowed peer IP is on loopback: coturn 4.6 refuses loopback
 *       peers (403 Forbidden IP on CreatePermission/ChannelBind) before it looks at {@code --allowed-peer-ip}.
 * </ul>
 *
 * <p>Ready when a STUN Binding request over UDP is answered and the TCP (and TLS) listeners accept.
 */
public final class CoturnServer implements TurnServerProcess {
    private final TurnServerOptions options;
    private final ManagedProcess process;

    private CoturnServer(TurnServerOptions options, ManagedProcess process) {
        this.options = options;
        this.process = process;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True if {@code turnserver} is on the PATH (Debian package {@code coturn}). */
    public static boolean isInstalled() {
        return Tools.onPath("turnserver");
    }

    @Override
    public String implementation() {
        return "coturn";
    }

    @Override
    public TurnServerOptions options() {
        return options;
    }

    @Override
    public ManagedProcess process() {
        return process;
    }

    @Override
    public String toString() {
        return "coturn[" + listeningIp() + ":" + listeningPort() + ", pid " + pid() + "]";
    }

    public static final class Builder extends TurnServerBuilder<Builder, CoturnServer> {
        private String binary = "turnserver";
        private boolean verbose;

        private Builder() {
            startTimeout(Duration.ofSeconds(15));
        }

        /** The turnserver executable (default: {@code turnserver} on the PATH). */
        public Builder binary(String binary) {
            this.binary = Objects.requireNonNull(binary);
            return this;
        }

        /** {@code -v}: log each request (useful when a test fails). */
        public Builder verbose() {
            this.verbose = true;
            return this;
        }

        @Override
        public CoturnServer start() {
            if (!binary.contains("/") && !Tools.onPath(binary)) {
                throw new IllegalStateException(
                        "coturn's turnserver is not installed: apt-get install coturn (see .ci/run)");
            }
            TurnServerOptions o = options();
            Path state = ManagedProcess.logDirectory().resolve("coturn-" + o.listeningPort());
            try {
                Files.createDirectories(state);
                Files.deleteIfExists(state.resolve("turndb"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<String> cmd = new ArrayList<>();
            cmd.add(binary);
            cmd.add("-n");
            cmd.add("--no-cli");
            cmd.add("--log-file");
            cmd.add("stdout");
            cmd.add("--pidfile");
            cmd.add(state.resolve("turnserver.pid").toAbsolutePath().toString());
            cmd.add("--db");
            cmd.add(state.resolve("turndb").toAbsolutePath().toString());
            cmd.add("--relay-ip");
            cmd.add(o.listeningIp());
            if (o.tls().isEmpty()) {
                cmd.add("--no-tls");
                cmd.add("--no-dtls");
            }
            if (o.allowedPeerIps().stream().anyMatch(TurnServerOptions::isLoopback)) {
                cmd.add("--allow-loopback-peers");
            }
            if (verbose) {
                cmd.add("-v");
            }
            cmd.addAll(o.commonArgs());
            ManagedProcess p = ManagedProcess.builder(cmd)
                    .name("coturn-" + o.listeningPort())
                    .logToTargetDir()
                    .start();
            CoturnServer server = new CoturnServer(o, p);
            try {
                if (!Probes.stunBindingAnswered(server.listeningAddress(), startTimeout, p::isAlive)) {
                    String why = p.isAlive()
                            ? "no answer to a STUN Binding request within " + startTimeout.toMillis() + " ms"
                            : "exited before answering a STUN Binding request";
                    throw new ManagedProcess.ProcessException(p.describe(why + " on udp " + server.listeningAddress()));
                }
                if (!o.extraArgs().contains("--no-tcp")) {
                    server.awaitTcpListeners(startTimeout);
                }
                return server;
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
        }
    }
}
