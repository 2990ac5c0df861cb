package io.rtc4j.bench.turn;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Relayed UDP load through TURN allocations (RFC 8656): the caller's thread sends pre-encoded ChannelData
 * (§12) or Send indications (§10) at a paced rate from each allocation's client socket; one receiver thread
 * counts, on one plain UDP peer socket per allocation, what the relay delivers. Every payload starts with a
 * trial id and a per-allocation sequence number, so a trial counts exactly the distinct packets of that trial
 * and stragglers of an earlier one are ignored. Nothing is allocated per packet.
 *
 * <p>Not thread-safe; {@link #close()} stops the receiver thread and closes the peer sockets (not the
 * clients, which the caller owns).
 */
final class RelayLoad implements ZeroLossSearch.Trials, AutoCloseable {
    enum Mode {
        /** ChannelBind, then ChannelData (RFC 8656 §11-12). */
        CHANNEL,
        /** CreatePermission, then Send indications (RFC 8656 §9-10). */
        SEND
    }

    /** Peer socket receive buffer: absorbs bursts while the receiver thread waits for a core. */
    private static final int PEER_RCVBUF = 4 << 20;
    /** Sender pacing: the longest it parks between bursts. */
    private static final long PACE_PARK_NANOS = 20_000;
    private static final long REFRESH_EVERY_NANOS = 60_000_000_000L;
    private static final int CHANNEL_BASE = ChannelDataFrame.MIN_CHANNEL;

    /** One trial's outcome. {@code peerDrops}/{@code serverDrops}: kernel receive-buffer drops (diagnostic). */
    record Trial(long offeredPps, long sent, long received, double seconds, long peerDrops, long serverDrops) {
        long lost() {
            return sent - received;
        }

        /** What the sender managed, packets per second. */
        double sentPps() {
            return sent / seconds;
        }

        double deliveredPps() {
            return received / seconds;
        }

        /** The generator fell more than 3% short of the offered rate: it, not the server, was the limit. */
        boolean generatorLimited() {
            return sent < 0.97 * offeredPps * seconds;
        }

        boolean zeroLoss() {
            return sent > 0 && received == sent;
        }
    }

    private final List<TurnTestClient> clients;
    private final Mode mode;
    private final int payloadSize;
    private final int serverPort;
    private final List<DatagramChannel> peers = new ArrayList<>();
    private final List<Integer> peerPorts = new ArrayList<>();
    private final ByteBuffer[] packets;
    private final int[] payloadOffsets;
    private final Receiver receiver;
    private final Thread receiverThread;
    private int trialId;
    private long lastRefresh;

    /**
     * Opens one peer socket per client (the clients are allocated already), installs the permission or channel
     * and pre-encodes each client's packet.
     */
    RelayLoad(List<TurnTestClient> clients, Mode mode, int payloadSize) throws IOException {
        if (payloadSize < 8) {
            throw new IllegalArgumentException("payload must hold trial id and sequence: " + payloadSize);
        }
        this.clients = List.copyOf(clients);
        this.mode = mode;
        this.payloadSize = payloadSize;
        this.serverPort = clients.get(0).server().getPort();
        this.packets = new ByteBuffer[clients.size()];
        this.payloadOffsets = new int[clients.size()];
        Selector selector = Selector.open();
        try {
            for (int i = 0; i < clients.size(); i++) {
                TurnTestClient c = clients.get(i);
                InetSocketAddress relayed = c.relayedAddress();
                if (relayed == null) {
                    throw new IllegalStateException("client " + i + " has no allocation");
                }
                DatagramChannel peer = DatagramChannel.open();
                peers.add(peer);
                peer.setOption(java.net.StandardSocketOptions.SO_RCVBUF, PEER_RCVBUF);
                peer.bind(new InetSocketAddress(relayed.getAddress(), 0));
                // data comes only from the relay; connected, read() needs no sender address
                peer.connect(relayed);
                peer.configureBlocking(false);
                peer.register(selector, SelectionKey.OP_READ, i);
                InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalAddress();
                peerPorts.add(peerAddress.getPort());

                byte[] payload = new byte[payloadSize];
                for (int b = 8; b < payloadSize; b++) {
                    payload[b] = (byte) b;
                }
                byte[] wire;
                if (mode == Mode.CHANNEL) {
                    wire = ChannelDataFrame.encode(CHANNEL_BASE + i, payload);
                    payloadOffsets[i] = ChannelDataFrame.HEADER_LENGTH;
                } else {
                    wire = c.encodeSendIndication(peerAddress, payload);
                    payloadOffsets[i] = dataValueOffset(wire);
                }
                packets[i] = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
            }
            refreshPermissions();
        } catch (IOException | RuntimeException e) {
            selector.close();
            closePeers();
            throw e;
        }
        receiver = new Receiver(selector, peers);
        receiverThread = Thread.ofPlatform().name("relay-peer-receiver").daemon().start(receiver);
    }

    /** Bytes of relayed UDP payload per packet (what a peer receives). */
    int payloadSize() {
        return payloadSize;
    }

    Mode mode() {
        return mode;
    }

    /** Installs (or refreshes) each client's channel binding or permission towards its peer socket. */
    void refreshPermissions() throws IOException {
        for (int i = 0; i < clients.size(); i++) {
            InetSocketAddress peer = (InetSocketAddress) peers.get(i).getLocalAddress();
            if (mode == Mode.CHANNEL) {
                clients.get(i).channelBind(CHANNEL_BASE + i, peer);
            } else {
                clients.get(i).createPermission(peer);
            }
        }
        lastRefresh = System.nanoTime();
    }

    /**
     * Offers {@code pps} packets per second in total, spread round-robin over the allocations, for
     * {@code trialNanos}; then waits up to {@code maxDrainNanos} for the last packets to arrive.
     */
    @Override
    public Trial trial(long pps, long trialNanos, long maxDrainNanos) throws IOException {
        if (System.nanoTime() - lastRefresh > REFRESH_EVERY_NANOS) {
            refreshPermissions(); // permissions last 300 s (RFC 8656 §9), channels 600 s (§12)
        }
        int id = ++trialId;
        int n = clients.size();
        long perPeerCapacity = Math.max(64, pps * trialNanos / 1_000_000_000L / n + 64);
        TrialState state = new TrialState(id, n, (int) Math.min(Integer.MAX_VALUE - 64, perPeerCapacity));
        int[] seq = new int[n];
        DatagramChannel[] out = new DatagramChannel[n];
        for (int i = 0; i < n; i++) {
            packets[i].putInt(payloadOffsets[i], id);
            out[i] = clients.get(i).channel();
        }
        List<Integer> serverPorts = List.of(serverPort);
        long peerDropsBefore = ProcStats.udpDrops(peerPorts);
        long serverDropsBefore = ProcStats.udpDrops(serverPorts);
        receiver.current = state;

        double perNano = pps / 1e9;
        long sent = 0;
        int next = 0;
        long start = System.nanoTime();
        long end = start + trialNanos;
        while (true) {
            long now = System.nanoTime();
            if (now - end >= 0) {
                break;
            }
            long due = (long) ((now - start) * perNano) + 1;
            while (sent < due) {
                ByteBuffer p = packets[next];
                p.putInt(payloadOffsets[next] + 4, seq[next]++);
                if (mode == Mode.SEND) {
                    p.putInt(16, (int) sent); // vary the transaction id too
                }
                p.clear();
                out[next].write(p);
                sent++;
                if (++next == n) {
                    next = 0;
                }
            }
            LockSupport.parkNanos(Math.min(PACE_PARK_NANOS, end - now));
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // drain: until all arrived, or nothing new for a while, or the bound
        long drainEnd = System.nanoTime() + maxDrainNanos;
        long lastCount = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long got = state.received;
            long now = System.nanoTime();
            if (got >= sent || now - drainEnd >= 0) {
                break;
            }
            if (got != lastCount) {
                lastCount = got;
                lastChange = now;
            } else if (now - lastChange > maxDrainNanos / 4) {
                break;
            }
            LockSupport.parkNanos(2_000_000);
        }
        receiver.current = null;
        long received = state.received;
        long peerDrops = ProcStats.udpDrops(peerPorts) - peerDropsBefore;
        long serverDrops = ProcStats.udpDrops(serverPorts) - serverDropsBefore;
        return new Trial(pps, sent, received, seconds, peerDrops, serverDrops);
    }

    @Override
    public void close() throws IOException {
        receiver.running = false;
        receiver.selector.wakeup();
        try {
            receiverThread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        receiver.selector.close();
        closePeers();
    }

    private void closePeers() throws IOException {
        for (DatagramChannel p : peers) {
            p.close();
        }
    }

    /** Offset of the DATA attribute's value in an encoded Send indication (RFC 8489 §14 TLV walk). */
    private static int dataValueOffset(byte[] wire) {
        ByteBuffer b = ByteBuffer.wrap(wire);
        int p = 20;
        while (p + 4 <= wire.length) {
            int type = b.getShort(p) & 0xFFFF;
            int length = b.getShort(p + 2) & 0xFFFF;
            if (type == 0x0013) { // DATA
                return p + 4;
            }
            p += 4 + ((length + 3) & ~3);
        }
        throw new IllegalStateException("no DATA attribute in the Send indication");
    }

    /** What the receiver counts for one trial; only the receiver thread writes it. */
    private static final class TrialState {
        final int id;
        final BitSet[] seen;
        volatile long received;

        TrialState(int id, int peers, int capacity) {
            this.id = id;
            this.seen = new BitSet[peers];
            for (int i = 0; i < peers; i++) {
                seen[i] = new BitSet(capacity);
            }
        }
    }

    /** Drains all peer sockets on one selector; counts distinct sequence numbers of the current trial. */
    private static final class Receiver implements Runnable {
        final Selector selector;
        final ByteBuffer in = ByteBuffer.allocateDirect(65_536);
        volatile TrialState current;
        volatile boolean running = true;

        Receiver(Selector selector, List<DatagramChannel> peers) {
            this.selector = selector;
        }

        @Override
        public void run() {
            Consumer<SelectionKey> onReadable = this::drain;
            try {
                while (running) {
                    selector.select(onReadable, 50);
                }
            } catch (IOException | java.nio.channels.ClosedSelectorException e) {
                // closed: done
            }
        }

        private void drain(SelectionKey key) {
            DatagramChannel ch = (DatagramChannel) key.channel();
            int peer = (Integer) key.attachment();
            TrialState s = current;
            long added = 0;
            try {
                while (true) {
                    in.clear();
                    int n = ch.read(in);
                    if (n <= 0) {
                        break;
                    }
                    if (s != null && n >= 8 && in.getInt(0) == s.id) {
                        int seq = in.getInt(4);
                        BitSet seen = s.seen[peer];
                        if (seq >= 0 && !seen.get(seq)) {
                            seen.set(seq);
                            added++;
                        }
                    }
                }
            } catch (IOException e) {
                if (ch.isOpen()) {
                    throw new UncheckedIOException(e);
                }
            }
            if (added > 0) {
                s.received += added; // single writer: this thread
            }
        }
    }
}
