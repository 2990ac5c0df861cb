package io.rtc4j.testkit.proc;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * An external process owned by a test: its stdout and stderr (merged) go into a bounded in-memory buffer of
 * lines and, optionally, a log file; waits are conditions with a bound, never fixed sleeps; {@link #close()}
 * ends the whole process tree (TERM, then KILL after a grace period), also when the test failed.
 *
 * <p>Thread-safe: one reader thread per process fills the buffer, any thread may wait on it.
 */
public final class ManagedProcess implements AutoCloseable {
    /** How long {@link #close()} lets the tree exit after SIGTERM before it sends SIGKILL. */
    static final Duration TERM_GRACE = Duration.ofSeconds(5);

    private static final int MAX_LINE_CHARS = 8 * 1024;

    private final String name;
    private final List<String> command;
    private final Process process;
    private final Thread reader;
    private final Thread shutdownHook;
    private final Path logFile;
    private final int maxLines;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock: a ring of the last maxLines lines.
    private final String[] ring;
    private int head;
    private int size;
    private long droppedLines;
    private boolean outputClosed;
    private boolean closed;

    private ManagedProcess(Builder b) throws IOException {
        this.name = b.name;
        this.command = List.copyOf(b.command);
        this.maxLines = b.maxLines;
        this.ring = new String[b.maxLines];
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (b.directory != null) {
            pb.directory(b.directory.toFile());
        }
        pb.environment().putAll(b.environment);
        // The child must not wait for input from the test's stdin.
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        // Opened after the start so the file can carry the pid; the output waits in the pipe meanwhile.
        Path file = b.logFile != null
                ? b.logFile
                : b.logToDirectory != null ? b.logToDirectory.resolve(name + "-" + process.pid() + ".log") : null;
        Writer log = null;
        try {
            if (file != null) {
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                log = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                log.write("# " + String.join(" ", command) + System.lineSeparator());
                log.flush();
            }
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        }
        this.logFile = file;
        Writer logWriter = log;
        this.reader = Thread.ofPlatform()
                .daemon()
                .name("proc-" + name + "-" + process.pid())
                .start(() -> pump(logWriter));
        // Last resort if the test JVM exits without closing us: no orphaned servers on the machine.
        this.shutdownHook = new Thread(this::destroyTree, "proc-" + name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder(String... command) {
        return new Builder(List.of(command));
    }

    public static Builder builder(List<String> command) {
        return new Builder(command);
    }

    /** Starts a process with default settings (no log file). */
    public static ManagedProcess start(String... command) {
        return builder(command).start();
    }

    /** Where tests put process logs: {@code target/process-logs} of the module under test, or the property. */
    public static Path logDirectory() {
        return Path.of(System.getProperty("rtc4j.test.process-logs", "target/process-logs"));
    }

    public String name() {
        return name;
    }

    public List<String> command() {
        return command;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The log file, if one was requested. */
    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    /**
     * Waits until a line of output matches {@code pattern} ({@link Matcher#find()}), looking first at the lines
     * already buffered.
     *
     * @throws ProcessException if the bound passes, or if the output ends (the process exited) without a match
     */
    public MatchResult awaitOutput(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long next = 0; // absolute index of the next line to look at
        lock.lock();
        try {
            while (true) {
                for (long i = Math.max(next, droppedLines); i < droppedLines + size; i++) {
                    Matcher m = pattern.matcher(lineAt(i - droppedLines));
                    if (m.find()) {
                        return m.toMatchResult();
                    }
                }
                next = droppedLines + size;
                if (outputClosed) {
                    throw new ProcessException(describe("output ended without a line matching /" + pattern + "/"));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ProcessException(
                            describe("no line matching /" + pattern + "/ within " + timeout.toMillis() + " ms"));
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException(describe("interrupted while waiting for /" + pattern + "/"), e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits for the process to exit, and then for its output to be fully read (so that a caller parsing the
     * output sees all of it).
     *
     * @return true if it exited within the bound
     */
    public boolean waitFor(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return false;
            }
            // The reader finishes at end of output, normally at once; a grandchild that inherited the pipe
            // could hold it open, so this wait is bounded (1-5 s) independently of the caller's bound.
            long left = Math.min(
                    Math.max(deadline - System.nanoTime(), TimeUnit.SECONDS.toNanos(1)), TimeUnit.SECONDS.toNanos(5));
            reader.join(Duration.ofNanos(left));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException(describe("interrupted while waiting for exit"), e);
        }
    }

    /**
     * Waits for the exit like {@link #waitFor(Duration)} and returns the exit code.
     *
     * @throws ProcessException if it did not exit within the bound (the process is left running; close it)
     */
    public int awaitExit(Duration timeout) {
        if (!waitFor(timeout)) {
            throw new ProcessException(describe("still running after " + timeout.toMillis() + " ms"));
        }
        return process.exitValue();
    }

    /** The exit code if the process has exited. */
    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** All retained output lines (the oldest are dropped beyond the bound). */
    public List<String> lines() {
        lock.lock();
        try {
            List<String> copy = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                copy.add(lineAt(i));
            }
            return copy;
        } finally {
            lock.unlock();
        }
    }

    /** Retained output as one string, lines joined by '\n'. */
    public String output() {
        return String.join("\n", lines());
    }

    /** The last {@code n} retained lines. */
    public String tail(int n) {
        List<String> all = lines();
        return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
    }

    /** A one-paragraph description for failure messages: command, pid, state, log file and output tail. */
    public String describe(String what) {
        StringBuilder sb = new StringBuilder();
        sb.append(name).append(" (pid ").append(pid()).append("): ").append(what);
        sb.append("\n  command: ").append(abbreviatedCommand());
        exitCode().ifPresent(c -> sb.append("\n  exited with ").append(c));
        if (logFile != null) {
            sb.append("\n  log: ").append(logFile.toAbsolutePath());
        }
        long dropped;
        lock.lock();
        try {
            dropped = droppedLines;
        } finally {
            lock.unlock();
        }
        sb.append("\n  output").append(dropped > 0 ? " (last 60 lines)" : "").append(":\n");
        sb.append(tail(60).indent(4));
        return sb.toString();
    }

    /** The command line with very long arguments (a classpath) shortened; the log file has it in full. */
    String abbreviatedCommand() {
        return command.stream()
                .map(a -> a.length() <= 200 ? a : a.substring(0, 100) + "...(" + a.length() + " chars)")
                .collect(Collectors.joining(" "));
    }

    /** Ends the process and all its descendants: SIGTERM, a bounded grace, then SIGKILL. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lock.unlock();
        }
        destroyTree();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to; it does the same work.
        }
        try {
            reader.join(Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void destroyTree() {
        // Snapshot descendants first: once the parent dies, its children are re-parented and lost from view.
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        if (!awaitAll(tree, TERM_GRACE)) {
            tree.forEach(ProcessHandle::destroyForcibly);
            awaitAll(tree, Duration.ofSeconds(5));
        }
    }

    private static boolean awaitAll(List<ProcessHandle> handles, Duration timeout) {
        CompletableFuture<?>[] exits =
                handles.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(exits).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private void pump(Writer log) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.length() > MAX_LINE_CHARS) {
                    line = line.substring(0, MAX_LINE_CHARS) + "...";
                }
                if (log != null) {
                    log.write(line);
                    log.write(System.lineSeparator());
                    log.flush();
                }
                append(line);
            }
        } catch (IOException e) {
            append("[rtc4j-testkit: output read failed: " + e + "]");
        } finally {
            if (log != null) {
                try {
                    log.close();
                } catch (IOException ignored) {
                    // Nothing useful to do; the in-memory buffer still has the output.
                }
            }
            lock.lock();
            try {
                outputClosed = true;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private void append(String line) {
        lock.lock();
        try {
            if (size == maxLines) {
                ring[head] = line;
                head = (head + 1) % maxLines;
                droppedLines++;
            } else {
                ring[(head + size) % maxLines] = line;
                size++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private String lineAt(long index) {
        return ring[(int) ((head + index) % maxLines)];
    }

    @Override
    public String toString() {
        return name + "[pid " + pid() + (isAlive() ? ", running]" : ", exited]");
    }

    /** A wait on a process failed; the message carries the command and the tail of its output. */
    public static final class ProcessException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ProcessException(String message) {
            super(message);
        }

        public ProcessException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static final class Builder {
        private final List<String> command;
        private String name;
        private Path directory;
        private Path logFile;
        private Path logToDirectory;
        private int maxLines = 20_000;
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Builder(List<String> command) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("empty command");
            }
            command.forEach(Objects::requireNonNull);
            this.command = List.copyOf(command);
            this.name = Path.of(command.get(0)).getFileName().toString();
        }

        /** A short name for thread names, messages and the default log file name. */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name);
            return this;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        public Builder environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /** Also write the output to this file (parent directories are created). */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** Also write the output to {@code <logDirectory()>/<name>-<pid>.log}. */
        public Builder logToTargetDir() {
            this.logToDirectory = logDirectory();
            return this;
        }

        /** How many output lines to keep in memory (the oldest go first). */
        public Builder maxLines(int maxLines) {
            if (maxLines < 1) {
                throw new IllegalArgumentException("maxLines must be >= 1: " + maxLines);
            }
            this.maxLines = maxLines;
            return this;
        }

        public ManagedProcess start() {
            try {
                return new ManagedProcess(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
