package io.rtc4j.bench.turn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the report says about the machine and the commands: CPU model, kernel, tool versions. */
final class MachineInfo {
    private MachineInfo() {}

    /** A server's command line for the report: no long classpath, no scratch paths. */
    static String shorten(List<String> command) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (i > 0 && command.get(i - 1).equals("-cp") && a.length() > 60) {
                a = "<classpath>";
            }
            if (i > 0 && (command.get(i - 1).equals("--pidfile") || command.get(i - 1).equals("--db"))) {
                a = "<scratch>/" + Path.of(a).getFileName();
            }
            if (i == 0 && a.contains("/")) {
                a = Path.of(a).getFileName().toString();
            }
            out.add(a);
        }
        return String.join(" ", out);
    }

    static Optional<String> cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return Optional.of(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException e) {
            // not Linux: leave it out
        }
        return Optional.empty();
    }

    static Optional<String> readFirstLine(Path p) {
        try {
            return Files.readAllLines(p).stream().findFirst().map(String::trim);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** First output line of a short command (bounded wait), or "unknown". */
    static String firstLineOf(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "unknown";
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return out.isEmpty() ? "unknown" : out.lines().findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
