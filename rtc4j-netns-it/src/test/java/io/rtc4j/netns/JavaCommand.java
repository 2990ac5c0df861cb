package io.rtc4j.netns;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code <this JVM's java> -cp <the test classpath> <main> <args>}: a child JVM running the code this build
 * just compiled (surefire's test classpath includes rtc4j-server's and rtc4j-ice's classes), not a stale jar.
 */
final class JavaCommand {
    private JavaCommand() {}

    static List<String> of(String mainClass, List<String> args) {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "--enable-native-access=ALL-UNNAMED",
                // small, quick child JVMs: two cores are shared by the whole suite
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Xshare:auto",
                "-Xmx128m",
                "-cp",
                classpath,
                mainClass));
        cmd.addAll(args);
        return cmd;
    }
}
