package io.rtc4j.bench.dtls;

import io.rtc4j.dtls.DtlsCertificate;
import io.rtc4j.dtls.DtlsConfig;
import io.rtc4j.dtls.DtlsEndpoint;
import io.rtc4j.dtls.DtlsOutput;
import io.rtc4j.dtls.DtlsRole;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * DTLS through rtc4j's facade, two endpoints in one JVM joined in memory (no sockets): handshakes per second
 * (sequential, and P pairs at once) and application-data throughput one way in records of a given size.
 *
 * <p>Usage: {@code DtlsBench [--handshakes N] [--parallel P] [--mib M] [--size B] [--runs R]}. Prints one line
 * per run and the medians.
 */
public final class DtlsBench {
    private static final Duration BOUND = Duration.ofSeconds(60);

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private final SecureRandom random = new SecureRandom();
    /** Process CPU time of the last measurement, per handshake or per record, in microseconds. */
    private double lastCpuMicrosPerUnit;
    private final DtlsCertificate clientCert = DtlsCertificate.generateEcdsa(random, Instant.now());
    private final DtlsCertificate serverCert = DtlsCertificate.generateEcdsa(random, Instant.now());

    public static void main(String[] args) throws Exception {
        int handshakes = 200;
        int parallel = 4;
        int mib = 64;
        int size = 1200;
        int runs = 3;
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--handshakes" -> handshakes = Integer.parseInt(v);
                case "--parallel" -> parallel = Integer.parseInt(v);
                case "--mib" -> mib = Integer.parseInt(v);
                case "--size" -> size = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        DtlsBench bench = new DtlsBench();
        System.out.printf("cores %d, java %s%n", Runtime.getRuntime().availableProcessors(), Runtime.version());
        // Warm-up: let the JIT compile the handshake and record paths before measuring.
        bench.handshakesPerSecond(Math.max(20, handshakes / 4), 1);
        bench.throughput(Math.max(8, mib / 4), size);
        List<Double> seq = new ArrayList<>();
        List<Double> par = new ArrayList<>();
        List<Double> mbps = new ArrayList<>();
        List<Double> cpuHandshake = new ArrayList<>();
        List<Double> cpuRecord = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            double s = bench.handshakesPerSecond(handshakes, 1);
            cpuHandshake.add(bench.lastCpuMicrosPerUnit);
            double p = bench.handshakesPerSecond(handshakes, parallel);
            double t = bench.throughput(mib, size);
            cpuRecord.add(bench.lastCpuMicrosPerUnit);
            seq.add(s);
            par.add(p);
            mbps.add(t);
            System.out.printf(Locale.ROOT,
                    "run %d: handshakes/s sequential %.0f (CPU %.2f ms each), %d at once %.0f; "
                            + "%d-byte records %.1f MB/s (CPU %.1f us each, both ends)%n",
                    r, s, cpuHandshake.getLast() / 1e3, parallel, p, size, t, cpuRecord.getLast());
        }
        System.out.printf(Locale.ROOT, "median: handshakes/s sequential %.0f (%.2f ms each, CPU %.2f ms), %d at once %.0f; "
                        + "%d-byte records %.1f MB/s (CPU %.1f us each, both ends)%n",
                median(seq), 1000 / median(seq), median(cpuHandshake) / 1e3, parallel, median(par), size,
                median(mbps), median(cpuRecord));
    }

    /** Completed handshakes per second, {@code concurrency} pairs in flight at a time. */
    double handshakesPerSecond(int count, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                int share = count / concurrency + (w < count % concurrency ? 1 : 0);
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < share; i++) {
                        try (Pair pair = new Pair()) {
                            pair.start();
                            pair.pumpUntil(() -> pair.connected == 2, "connected");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(BOUND.toSeconds() * Math.max(1, count), TimeUnit.SECONDS);
            }
            double rate = count / ((System.nanoTime() - start) / 1e9);
            lastCpuMicrosPerUnit = (OS.getProcessCpuTime() - cpu) / 1e3 / count;
            return rate;
        } finally {
            pool.shutdownNow();
        }
    }

    /** MB/s (1e6 bytes) of application data client to server, decrypted and delivered at the server. */
    double throughput(int mib, int size) {
        try (Pair pair = new Pair()) {
            pair.start();
            pair.pumpUntil(() -> pair.connected == 2, "connected");
            long total = (long) mib << 20;
            long records = (total + size - 1) / size;
            byte[] payload = new byte[size];
            random.nextBytes(payload);
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            long sent = 0;
            // Keep at most this many records in flight: below the server's inbound queue (1024) so none drop.
            int window = 512;
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (pair.receivedRecords < records) {
                while (sent < records && sent - pair.receivedRecords < window) {
                    pair.client.send(payload);
                    sent++;
                }
                pair.pumpOnce();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("throughput run did not finish within " + BOUND);
                }
            }
            double secs = (System.nanoTime() - start) / 1e9;
            lastCpuMicrosPerUnit = (OS.getProcessCpuTime() - cpu) / 1e3 / records;
            return pair.receivedBytes / 1e6 / secs;
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** Two endpoints joined in memory, driven by the calling thread, woken by the endpoints' callbacks. */
    private final class Pair implements AutoCloseable {
        final DtlsEndpoint client;
        final DtlsEndpoint server;
        final Semaphore wake = new Semaphore(0);
        int connected;
        long receivedRecords;
        long receivedBytes;

        Pair() {
            client = new DtlsEndpoint(DtlsConfig.builder(DtlsRole.CLIENT, clientCert, List.of(serverCert.fingerprint()))
                    .random(random)
                    .build());
            server = new DtlsEndpoint(DtlsConfig.builder(DtlsRole.SERVER, serverCert, List.of(clientCert.fingerprint()))
                    .random(random)
                    .build());
            client.onOutputReady(wake::release);
            server.onOutputReady(wake::release);
        }

        void start() {
            Instant now = Instant.now();
            server.start(now);
            client.start(now);
        }

        void pumpOnce() {
            boolean moved = drain(client, server);
            moved |= drain(server, client);
            // Outputs made on this thread (records once connected) are ready without a wakeup: wait only when
            // nothing moved, for the handshake thread's next output.
            if (!moved && wake.availablePermits() == 0) {
                try {
                    wake.tryAcquire(10, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            wake.drainPermits();
        }

        void pumpUntil(java.util.function.BooleanSupplier done, String what) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (!done.getAsBoolean()) {
                pumpOnce();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no " + what + " within " + BOUND);
                }
            }
        }

        private boolean drain(DtlsEndpoint from, DtlsEndpoint to) {
            Instant now = Instant.now();
            boolean moved = false;
            for (DtlsOutput o = from.pollOutput(); !(o instanceof DtlsOutput.Timeout); o = from.pollOutput()) {
                moved = true;
                switch (o) {
                    case DtlsOutput.Transmit t -> to.handleInput(now, t.datagram());
                    case DtlsOutput.DtlsConnected c -> connected++;
                    case DtlsOutput.ApplicationDataReceived d -> {
                        receivedRecords++;
                        receivedBytes += d.data().length;
                    }
                    case DtlsOutput.DtlsFailed f -> throw new IllegalStateException("DTLS failed: " + f);
                    case DtlsOutput.DtlsClosed c -> {}
                    case DtlsOutput.Timeout t -> {}
                }
            }
            return moved;
        }

        @Override
        public void close() {
            client.close();
            server.close();
        }
    }
}
