package io.rtc4j.bench.turn;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * Sets the CPU affinity of every thread of a process with util-linux {@code taskset -a -p -c}. Threads
 * created later inherit it from their creator, so pinning right after start covers a JVM's later threads too.
 */
final class CpuPinning {
    private CpuPinning() {}

    static void pin(long pid, String cpuList) throws IOException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpuList, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("taskset did not finish");
            }
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.exitValue() != 0) {
                throw new IOException("taskset -a -p -c " + cpuList + " " + pid + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
    }
}
