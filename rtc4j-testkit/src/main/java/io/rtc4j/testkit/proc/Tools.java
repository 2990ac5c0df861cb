package io.rtc4j.testkit.proc;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding the external programs that interop tests run. */
public final class Tools {
    private Tools() {}

    /** The executable {@code name} on the PATH, if any. */
    public static Optional<Path> find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    public static boolean onPath(String name) {
        return find(name).isPresent();
    }

    /**
     * The executable {@code name}, or an {@link IllegalStateException} naming the Debian package to install: a
     * missing tool fails a test loudly rather than skipping it.
     */
    public static Path require(String name, String debianPackage) {
        return find(name)
                .orElseThrow(() -> new IllegalStateException(
                        name + " is not on the PATH: apt-get install " + debianPackage + " (.ci/run installs it)"));
    }
}
