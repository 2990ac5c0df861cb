package io.rtc4j.dtls;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Test driver: two endpoints joined in memory. Transmits of one side become inputs of the other, except those
 * a drop rule discards; events are collected per side. Waits are bounded and woken by the endpoints' callbacks.
 */
final class DtlsLink implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");
    static final Duration BOUND = Duration.ofSeconds(20);

    final DtlsEndpoint client;
    final DtlsEndpoint server;
    final List<DtlsOutput> clientEvents = new ArrayList<>();
    final List<DtlsOutput> serverEvents = new ArrayList<>();
    final List<byte[]> clientSent = new ArrayList<>();
    final List<byte[]> serverSent = new ArrayList<>();
    private final Semaphore wake = new Semaphore(0);
    /** Datagrams client->server with these indexes (0-based) are lost. */
    int dropClientToServerFirst;
    int dropServerToClientFirst;
    /** If > 0: the first client->server datagram carrying an epoch-0 handshake message of this type is lost. */
    int dropClientHandshakeOnce = -1;
    /** Client->server datagrams lost to {@link #dropClientHandshakeOnce}. */
    int droppedHandshakes;
    /** Once the client has sent this many datagrams, server->client datagrams are kept in {@link #heldForClient}. */
    int holdForClientAfter = Integer.MAX_VALUE;
    final List<byte[]> heldForClient = new ArrayList<>();
    /**
     * If set, every datagram is delivered twice, and every other non-empty drain (per direction) delivers its
     * datagrams in reverse order of sending. Reversing every flight forever would be a network no DTLS stack
     * survives (a record of the next epoch always ahead of its ChangeCipherSpec is discarded, RFC 6347 §4.1):
     * a retransmitted flight then arrives in order, as it would on a real path.
     */
    boolean duplicateAndReorder;
    private final int[] reorderedDrains = new int[2];
    /** If set, {@link #await} sleeps until an endpoint's wakeup callback fires, never polls on a timer. */
    boolean onlyOnWakeup;

    DtlsLink(DtlsConfig clientConfig, DtlsConfig serverConfig) {
        client = new DtlsEndpoint(clientConfig);
        server = new DtlsEndpoint(serverConfig);
        client.onOutputReady(wake::release);
        server.onOutputReady(wake::release);
    }

    /** A link between fresh ECDSA identities that expect each other's fingerprint. */
    static DtlsLink ecdsa(SecureRandom random) {
        DtlsCertificate c = DtlsCertificate.generateEcdsa(random, T0);
        DtlsCertificate s = DtlsCertificate.generateEcdsa(random, T0);
        return new DtlsLink(
                DtlsConfig.builder(DtlsRole.CLIENT, c, List.of(s.fingerprint())).random(random).build(),
                DtlsConfig.builder(DtlsRole.SERVER, s, List.of(c.fingerprint())).random(random).build());
    }

    void startBoth() {
        server.start(T0);
        client.start(T0);
    }

    /** Moves every queued output once; returns true if anything moved. */
    boolean pump() {
        boolean moved = drain(client, server, clientEvents, clientSent, true);
        moved |= drain(server, client, serverEvents, serverSent, false);
        return moved;
    }

    private boolean drain(DtlsEndpoint from, DtlsEndpoint to, List<DtlsOutput> events, List<byte[]> sent, boolean fromClient) {
        List<byte[]> held = new ArrayList<>();
        try {
            return drainInto(from, events, sent, fromClient, held, to);
        } finally {
            // Duplicated, and reordered (last sent first) on every other non-empty drain of this direction.
            boolean reverse = !held.isEmpty() && reorderedDrains[fromClient ? 0 : 1]++ % 2 == 0;
            for (int k = 0; k < held.size(); k++) {
                byte[] d = held.get(reverse ? held.size() - 1 - k : k);
                to.handleInput(T0, d);
                to.handleInput(T0, d);
            }
        }
    }

    private boolean drainInto(
            DtlsEndpoint from, List<DtlsOutput> events, List<byte[]> sent, boolean fromClient, List<byte[]> held,
            DtlsEndpoint to) {
        boolean moved = false;
        // Bounded: an endpoint cannot queue more than this between two pumps in these tests.
        for (int i = 0; i < 100_000; i++) {
            DtlsOutput o = from.pollOutput();
            if (o instanceof DtlsOutput.Timeout) {
                return moved;
            }
            moved = true;
            if (o instanceof DtlsOutput.Transmit t) {
                int index = sent.size();
                sent.add(t.datagram());
                int dropFirst = fromClient ? dropClientToServerFirst : dropServerToClientFirst;
                if (fromClient && droppedHandshakes == 0 && carriesHandshake(t.datagram(), dropClientHandshakeOnce)) {
                    droppedHandshakes++;
                } else if (!fromClient && clientSent.size() >= holdForClientAfter) {
                    heldForClient.add(t.datagram());
                } else if (index >= dropFirst) {
                    if (duplicateAndReorder) {
                        held.add(t.datagram());
                    } else {
                        to.handleInput(T0, t.datagram());
                    }
                }
            } else {
                events.add(o);
            }
        }
        throw new AssertionError("endpoint produced unbounded output");
    }

    /** True if a record of {@code datagram} is an epoch-0 handshake record starting a message of {@code type}. */
    static boolean carriesHandshake(byte[] datagram, int type) {
        for (int p = 0; type >= 0 && p + 14 <= datagram.length; p += 13 + (((datagram[p + 11] & 0xFF) << 8) | (datagram[p + 12] & 0xFF))) {
            if (datagram[p] == 22 && datagram[p + 3] == 0 && datagram[p + 4] == 0 && (datagram[p + 13] & 0xFF) == type) {
                return true;
            }
        }
        return false;
    }

    /** Pumps until {@code done} holds; fails after {@link #BOUND}. */
    void await(BooleanSupplier done, String what) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (true) {
            pump();
            if (done.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; client " + clientEvents + " server " + serverEvents);
            }
            try {
                if (onlyOnWakeup) {
                    // No polling fallback: a missed wakeup leaves this waiting until the bound, and the test fails.
                    long left = deadline - System.nanoTime();
                    if (!wake.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                        throw new AssertionError("no wakeup while waiting for " + what);
                    }
                } else {
                    wake.tryAcquire(50, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    <T extends DtlsOutput> Optional<T> first(List<DtlsOutput> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    <T extends DtlsOutput> List<T> all(List<DtlsOutput> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    DtlsOutput.DtlsConnected awaitConnected() {
        await(() -> first(clientEvents, DtlsOutput.DtlsConnected.class).isPresent()
                        && first(serverEvents, DtlsOutput.DtlsConnected.class).isPresent()
                        || terminal(clientEvents) || terminal(serverEvents),
                "both connected");
        if (terminal(clientEvents) || terminal(serverEvents)) {
            throw new AssertionError("handshake ended: client " + clientEvents + " server " + serverEvents);
        }
        return first(clientEvents, DtlsOutput.DtlsConnected.class).orElseThrow();
    }

    static boolean terminal(List<DtlsOutput> events) {
        return events.stream().anyMatch(e -> e instanceof DtlsOutput.DtlsFailed || e instanceof DtlsOutput.DtlsClosed);
    }

    @Override
    public void close() {
        client.close();
        server.close();
    }
}
