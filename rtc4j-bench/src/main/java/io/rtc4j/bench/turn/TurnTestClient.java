package io.rtc4j.bench.turn;

import io.rtc4j.stun.Bytes;
import io.rtc4j.stun.ChannelNumber;
import io.rtc4j.stun.Data;
import io.rtc4j.stun.ErrorCode;
import io.rtc4j.stun.Lifetime;
import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.Nonce;
import io.rtc4j.stun.Realm;
import io.rtc4j.stun.RequestedTransport;
import io.rtc4j.stun.StunAttribute;
import io.rtc4j.stun.StunClass;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunIntegrity;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunMethod;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.Username;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.stun.XorPeerAddress;
import io.rtc4j.stun.XorRelayedAddress;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A small synchronous TURN client over UDP (RFC 8656) for tests and load tools: one allocation per
 * instance, one request at a time, long-term credentials (RFC 8489 §9.2) with the 401 challenge and the 438
 * stale-nonce retry. Requests are retransmitted (RFC 8489 §6.2.1, with a loopback-sized RTO) within a
 * bounded total time. Not thread-safe.
 *
 * <p>The UDP channel is connected to the server and stays in blocking mode, so a load generator can send
 * pre-encoded ChannelData or Send indications on {@link #channel()} with {@code write} while no request is
 * in flight.
 */
public final class TurnTestClient implements AutoCloseable {
    private static final int MAX_AUTH_RETRIES = 2;
    private static final Duration INITIAL_RTO = Duration.ofMillis(100);
    private static final int MAX_TRANSMISSIONS = 6;

    private final InetSocketAddress server;
    private final String username;
    private final String password;
    private final RandomGenerator random;
    private final Duration timeout;
    private final DatagramChannel channel;
    private final DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);

    private String realm;
    private String nonce;
    private byte[] key;
    private InetSocketAddress relayedAddress;
    private InetSocketAddress mappedAddress;
    private long lifetimeSeconds;

    /**
     * Opens a UDP socket on the server's loopback/local address family, connected to {@code server}.
     *
     * @param timeout the bound on one transaction, retransmissions and auth retries included
     */
    public TurnTestClient(
            InetSocketAddress server, String username, String password, RandomGenerator random, Duration timeout)
            throws IOException {
        this.server = Objects.requireNonNull(server, "server");
        this.username = Objects.requireNonNull(username, "username");
        this.password = Objects.requireNonNull(password, "password");
        this.random = Objects.requireNonNull(random, "random");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.bind(new InetSocketAddress(server.getAddress(), 0));
            ch.connect(server);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        this.channel = ch;
    }

    /** The connected UDP channel (blocking mode); use {@code write} for data while no request is pending. */
    public DatagramChannel channel() {
        return channel;
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    public InetSocketAddress server() {
        return server;
    }

    /** XOR-RELAYED-ADDRESS of the allocation, or null before {@link #allocate}. */
    public InetSocketAddress relayedAddress() {
        return relayedAddress;
    }

    /** XOR-MAPPED-ADDRESS from the Allocate (or Binding) response, or null. */
    public InetSocketAddress mappedAddress() {
        return mappedAddress;
    }

    public long lifetimeSeconds() {
        return lifetimeSeconds;
    }

    /** An unauthenticated Binding request (RFC 8489 §6); returns XOR-MAPPED-ADDRESS. */
    public InetSocketAddress binding() throws IOException {
        TransactionId tid = TransactionId.random(random);
        byte[] wire = StunCodec.encode(StunMessage.builder(MessageType.BINDING_REQUEST, tid).build(), StunProtection.NONE);
        StunMessage response = exchange(tid, wire);
        if (response.messageClass() != StunClass.SUCCESS_RESPONSE) {
            throw error(StunMethod.BINDING, response);
        }
        XorMappedAddress mapped = response.getOrNull(XorMappedAddress.class);
        if (mapped == null) {
            throw new IOException("Binding response without XOR-MAPPED-ADDRESS");
        }
        return mappedAddress = mapped.address();
    }

    /** Allocates a UDP relay (RFC 8656 §7.1) with the server's default lifetime; returns the relayed address. */
    public InetSocketAddress allocate() throws IOException {
        if (relayedAddress != null) {
            throw new IllegalStateException("already allocated: " + relayedAddress);
        }
        StunMessage response = request(StunMethod.ALLOCATE, List.of(new RequestedTransport(17)));
        XorRelayedAddress relayed = response.getOrNull(XorRelayedAddress.class);
        if (relayed == null) {
            throw new IOException("Allocate success without XOR-RELAYED-ADDRESS: " + response);
        }
        XorMappedAddress mapped = response.getOrNull(XorMappedAddress.class);
        mappedAddress = mapped == null ? null : mapped.address();
        Lifetime lifetime = response.getOrNull(Lifetime.class);
        lifetimeSeconds = lifetime == null ? 0 : lifetime.value();
        return relayedAddress = relayed.address();
    }

    /**
     * Opens a client and allocates. A 437 means the server still holds state for this 5-tuple (coturn keeps a
     * deleted allocation's 5-tuple for a while, and the kernel may hand out a just-closed ephemeral port
     * again): then it tries again from a fresh socket, keeping the refused ones open meanwhile so the port is
     * not reused at once. At most {@code attempts} sockets.
     */
    public static TurnTestClient openAllocated(
            InetSocketAddress server,
            String username,
            String password,
            RandomGenerator random,
            Duration timeout,
            int attempts)
            throws IOException {
        List<TurnTestClient> refused = new ArrayList<>();
        try {
            for (int i = 0; ; i++) {
                TurnTestClient c = new TurnTestClient(server, username, password, random, timeout);
                try {
                    c.allocate();
                    return c;
                } catch (TurnErrorException e) {
                    refused.add(c);
                    if (e.code() != ErrorCode.ALLOCATION_MISMATCH || i + 1 >= attempts) {
                        throw e;
                    }
                } catch (IOException | RuntimeException e) {
                    c.close();
                    throw e;
                }
            }
        } finally {
            for (TurnTestClient c : refused) {
                c.close();
            }
        }
    }

    /** Installs or refreshes permissions for the peers' IP addresses (RFC 8656 §9; ports are ignored). */
    public void createPermission(InetSocketAddress... peers) throws IOException {
        if (peers.length == 0) {
            throw new IllegalArgumentException("at least one peer");
        }
        List<StunAttribute> attributes = new ArrayList<>(peers.length);
        for (InetSocketAddress peer : peers) {
            attributes.add(new XorPeerAddress(peer));
        }
        request(StunMethod.CREATE_PERMISSION, attributes);
    }

    /** Binds or refreshes {@code channel} (0x4000-0x4FFF) to {@code peer} (RFC 8656 §11). */
    public void channelBind(int channelNumber, InetSocketAddress peer) throws IOException {
        if (channelNumber < ChannelDataFrame.MIN_CHANNEL || channelNumber > ChannelDataFrame.MAX_CHANNEL) {
            throw new IllegalArgumentException("channel numbers are 0x4000-0x4FFF: " + channelNumber);
        }
        request(StunMethod.CHANNEL_BIND, List.of(new ChannelNumber(channelNumber), new XorPeerAddress(peer)));
    }

    /** Refreshes the allocation (RFC 8656 §8); returns the granted lifetime. Zero deletes it. */
    public long refresh(long lifetime) throws IOException {
        StunMessage response = request(StunMethod.REFRESH, List.of(new Lifetime(lifetime)));
        Lifetime granted = response.getOrNull(Lifetime.class);
        lifetimeSeconds = granted == null ? lifetime : granted.value();
        return lifetimeSeconds;
    }

    /**
     * Deletes the allocation with a lifetime-0 Refresh. A 437 (the server no longer knows the allocation)
     * counts as released.
     */
    public void release() throws IOException {
        if (relayedAddress == null) {
            return;
        }
        try {
            refresh(0);
        } catch (TurnErrorException e) {
            if (e.code() != ErrorCode.ALLOCATION_MISMATCH) {
                throw e;
            }
        }
        relayedAddress = null;
    }

    /** A Send indication (RFC 8656 §10.1) carrying {@code payload} to {@code peer}; indications are not signed. */
    public byte[] encodeSendIndication(InetSocketAddress peer, byte[] payload) {
        StunMessage send = StunMessage.builder(
                        new MessageType(StunMethod.SEND, StunClass.INDICATION), TransactionId.random(random))
                .add(new XorPeerAddress(peer))
                .add(new Data(Bytes.of(payload)))
                .build();
        return StunCodec.encode(send, StunProtection.NONE);
    }

    /**
     * Waits up to {@code wait} for relayed data: a ChannelData payload or a Data indication's DATA. Other
     * datagrams are skipped. Returns null on timeout.
     */
    public byte[] receiveData(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !receive(left)) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
            if (ChannelDataFrame.isChannelData(in)) {
                int length = in.getShort(2) & 0xFFFF;
                if (length <= in.remaining() - ChannelDataFrame.HEADER_LENGTH) {
                    byte[] payload = new byte[length];
                    in.get(ChannelDataFrame.HEADER_LENGTH, payload);
                    return payload;
                }
            } else if (StunCodec.isStun(in)) {
                StunMessage m = decode(in);
                if (m != null
                        && m.method().equals(StunMethod.DATA)
                        && m.messageClass() == StunClass.INDICATION
                        && m.getOrNull(Data.class) != null) {
                    return m.getOrNull(Data.class).value().toArray();
                }
            }
        }
    }

    /** Sends an authenticated request, answering the 401 challenge and 438 stale nonce (RFC 8489 §9.2.4). */
    private StunMessage request(StunMethod method, List<StunAttribute> attributes) throws IOException {
        for (int attempt = 0; ; attempt++) {
            TransactionId tid = TransactionId.random(random);
            StunMessage.Builder builder =
                    StunMessage.builder(new MessageType(method, StunClass.REQUEST), tid).addAll(attributes);
            byte[] wire;
            if (key == null) {
                wire = StunCodec.encode(builder.build(), StunProtection.NONE);
            } else {
                builder.add(new Username(username)).add(new Realm(realm)).add(new Nonce(nonce));
                wire = StunCodec.encode(builder.build(), StunProtection.integrity(key));
            }
            StunMessage response = exchange(tid, wire);
            if (response.messageClass() == StunClass.SUCCESS_RESPONSE) {
                // RFC 8489 §9.2.5: a response to a signed request must be signed with the same key
                if (key != null && response.hasIntegrity() && !response.verifyIntegrity(key)) {
                    throw new IOException(method + " response fails MESSAGE-INTEGRITY");
                }
                return response;
            }
            ErrorCode error = response.getOrNull(ErrorCode.class);
            int code = error == null ? 0 : error.code();
            Nonce newNonce = response.getOrNull(Nonce.class);
            boolean challenge = code == ErrorCode.UNAUTHENTICATED || code == ErrorCode.STALE_NONCE;
            if (challenge && newNonce != null && attempt < MAX_AUTH_RETRIES) {
                Realm newRealm = response.getOrNull(Realm.class);
                if (newRealm != null && !newRealm.value().equals(realm)) {
                    realm = newRealm.value();
                    key = StunIntegrity.longTermKey(username, realm, password);
                } else if (realm == null) {
                    throw new IOException(method + ": " + code + " without REALM");
                }
                nonce = newNonce.value();
                continue;
            }
            throw error(method, response);
        }
    }

    private static TurnErrorException error(StunMethod method, StunMessage response) {
        ErrorCode error = response.getOrNull(ErrorCode.class);
        return error == null
                ? new TurnErrorException(method, 0, "error response without ERROR-CODE")
                : new TurnErrorException(method, error.code(), error.reason());
    }

    /** Sends {@code wire} and waits for the response with {@code tid}, retransmitting with a doubling RTO. */
    private StunMessage exchange(TransactionId tid, byte[] wire) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long rto = INITIAL_RTO.toNanos();
        ByteBuffer out = ByteBuffer.wrap(wire);
        for (int transmission = 0; transmission < MAX_TRANSMISSIONS; transmission++) {
            channel.write(out.clear());
            long waitUntil = Math.min(deadline, System.nanoTime() + rto);
            while (true) {
                long left = waitUntil - System.nanoTime();
                if (left <= 0 || !receive(left)) {
                    break;
                }
                ByteBuffer in = ByteBuffer.wrap(packet.getData(), 0, packet.getLength());
                if (!StunCodec.isStun(in)) {
                    continue; // ChannelData or junk: not ours
                }
                StunMessage m = decode(in);
                if (m != null && m.transactionId().equals(tid) && m.messageClass() != StunClass.REQUEST
                        && m.messageClass() != StunClass.INDICATION) {
                    return m;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                break;
            }
            rto *= 2;
        }
        throw new SocketTimeoutException("no response from " + server + " within " + timeout.toMillis() + " ms");
    }

    private static StunMessage decode(ByteBuffer in) {
        try {
            return StunCodec.decode(in);
        } catch (StunParseException e) {
            return null;
        }
    }

    /** Blocking receive bounded by {@code nanos}; false on timeout. */
    private boolean receive(long nanos) throws IOException {
        channel.socket().setSoTimeout((int) Math.max(1, nanos / 1_000_000));
        try {
            packet.setLength(packet.getData().length);
            channel.socket().receive(packet);
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
