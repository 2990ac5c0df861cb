package io.rtc4j.testkit.proc;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * rtc4j's TURN server as a separate JVM: {@code <java> -cp <classpath> io.rtc4j.server.Main turn <options>},
 * with the same {@link TurnServerOptions} (coturn's option names) as {@link CoturnServer}.
 *
 * <p>The JVM is the test's own ({@code ProcessHandle.current().info().command()}) and the classpath defaults to
 * surefire's test classpath ({@code surefire.test.class.path}, else {@code java.class.path}), so a test in
 * rtc4j-server runs the code it was built with, not a stale jar. Ready when a STUN Binding request over UDP
 * to the listening port gets any answer.
 */
public final class Rtc4jTurnProcess implements TurnServerProcess {
    public static final String MAIN_CLASS = "io.rtc4j.server.Main";

    private final TurnServerOptions options;
    private final ManagedProcess process;

    private Rtc4jTurnProcess(TurnServerOptions options, ManagedProcess process) {
        this.options = options;
        this.process = process;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String implementation() {
        return "rtc4j";
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
        return "rtc4j-turn[" + listeningIp() + ":" + listeningPort() + ", pid " + pid() + "]";
    }

    /** The running JVM's java launcher. */
    static String currentJava() {
        String fallback =
                Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return ProcessHandle.current().info().command().orElse(fallback);
    }

    static String defaultClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    public static final class Builder extends TurnServerBuilder<Builder, Rtc4jTurnProcess> {
        private String javaBinary = currentJava();
        private String classpath = defaultClasspath();
        private final List<String> jvmArgs = new ArrayList<>(List.of("--enable-native-access=ALL-UNNAMED"));
        private int metricsPort;

        private Builder() {
            // A cold JVM plus the server's own start-up; generous, and the wait stops early if it dies.
            startTimeout(Duration.ofSeconds(30));
        }

        public Builder javaBinary(String java) {
            this.javaBinary = Objects.requireNonNull(java);
            return this;
        }

        public Builder classpath(String classpath) {
            this.classpath = Objects.requireNonNull(classpath);
            return this;
        }

        /** Added before {@code -cp}, e.g. {@code -Xmx256m} or {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}. */
        public Builder jvmArg(String arg) {
            jvmArgs.add(Objects.requireNonNull(arg));
            return this;
        }

        /** {@code --metrics-port}: 0 (default) leaves it out. */
        public Builder metricsPort(int port) {
            this.metricsPort = port;
            return this;
        }

        @Override
        public Rtc4jTurnProcess start() {
            TurnServerOptions o = options();
            List<String> cmd = new ArrayList<>();
            cmd.add(javaBinary);
            cmd.addAll(jvmArgs);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(MAIN_CLASS);
            cmd.add("turn");
            cmd.addAll(o.commonArgs());
            if (metricsPort != 0) {
                cmd.add("--metrics-port");
                cmd.add(String.valueOf(metricsPort));
            }
            ManagedProcess p = ManagedProcess.builder(cmd)
                    .name("rtc4j-turn-" + o.listeningPort())
                    .logToTargetDir()
                    .start();
            Rtc4jTurnProcess server = new Rtc4jTurnProcess(o, p);
            try {
                if (!Probes.stunBindingAnswered(server.listeningAddress(), startTimeout, p::isAlive)) {
                    String why = p.isAlive()
                            ? "no answer to a STUN Binding request within " + startTimeout.toMillis() + " ms"
                            : "exited before answering a STUN Binding request";
                    throw new ManagedProcess.ProcessException(p.describe(why + " on udp " + server.listeningAddress()));
                }
                return server;
            } catch (RuntimeException | Error e) {
                p.close();
                throw e;
            }
        }
    }
}
