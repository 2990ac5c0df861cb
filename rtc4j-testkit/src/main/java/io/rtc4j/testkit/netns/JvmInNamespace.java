package io.rtc4j.testkit.netns;

import io.rtc4j.testkit.proc.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Java main class run as a child JVM inside a lab namespace: for checks whose every socket (and every browser
 * they start) must stay inside it. The child uses this JVM's java and the test class path; its output is a
 * {@link ManagedProcess} (bounded waits, the whole tree ended on close, a log under target/process-logs).
 */
public final class JvmInNamespace {
    /** Debian's Chromium, the only browser tests drive (never a downloaded one). */
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private JvmInNamespace() {}

    /** Why a namespaced Chromium check cannot run here (no lab, or no {@link #CHROMIUM}), or empty. */
    public static Optional<String> chromiumUnavailableReason() {
        Optional<String> lab = NetnsLab.unavailableReason();
        if (lab.isPresent()) {
            return lab;
        }
        return Files.isExecutable(CHROMIUM) ? Optional.empty()
                : Optional.of(CHROMIUM + " not found: apt-get install chromium (.ci/run installs it)");
    }

    /**
     * Whether a namespaced Chromium check can run here: false (skip it) when something is missing, but under
     * {@code CI=true} a missing prerequisite is an {@link AssertionError}, since CI installs them all.
     */
    public static boolean chromiumCheckRunnable() {
        Optional<String> why = chromiumUnavailableReason();
        if (why.isPresent() && NetnsLab.requiredByEnvironment()) {
            throw new AssertionError("CI must run this check, but: " + why.get());
        }
        return why.isEmpty();
    }

    /**
     * Starts {@code mainClass} with {@code args} inside {@code ns}; {@code jvmOptions} come before the class
     * path. The class path is surefire's test class path when set, else this JVM's.
     */
    public static ManagedProcess start(Netns ns, List<String> jvmOptions, String mainClass, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, mainClass));
        cmd.addAll(args);
        return ns.process(cmd).logToTargetDir().start();
    }
}
