package io.rtc4j.testkit.netns;

import io.rtc4j.testkit.proc.ManagedProcess;
import io.rtc4j.testkit.proc.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs the short administrative commands ({@code ip}, {@code nft}) the lab is made of, each with a bound. */
final class NetnsCommands {
    /** Generous: a fork and a netlink call, on a busy 2-core machine. */
    static final Duration COMMAND_BOUND = Duration.ofSeconds(20);

    private NetnsCommands() {}

    /** Runs {@code command} to completion; its output, or a {@link NetnsException} with the output. */
    static String run(List<String> command) {
        ManagedProcess p;
        try {
            p = ManagedProcess.builder(command).name(Path.of(command.get(0)).getFileName().toString()).maxLines(500).start();
        } catch (RuntimeException e) {
            throw new NetnsException("cannot run " + String.join(" ", command), e);
        }
        try (p) {
            int code;
            try {
                code = p.awaitExit(COMMAND_BOUND);
            } catch (ManagedProcess.ProcessException e) {
                throw new NetnsException(e.getMessage(), e);
            }
            if (code != 0) {
                throw new NetnsException(p.describe("failed"));
            }
            return p.output();
        }
    }

    static String run(String... command) {
        return run(List.of(command));
    }

    /** {@code ip} with the given arguments. */
    static String ip(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(tool("ip").toString());
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /**
     * Where a system tool lives: the PATH, then /usr/sbin and /sbin (root's tools are there, and a test
     * JVM's PATH may lack them).
     */
    static Optional<Path> find(String name) {
        return Tools.find(name).or(() -> {
            for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        });
    }

    static Path tool(String name) {
        return find(name).orElseThrow(() -> new NetnsException(name + " not found: " + NetnsLab.INSTALL_HINT));
    }
}
