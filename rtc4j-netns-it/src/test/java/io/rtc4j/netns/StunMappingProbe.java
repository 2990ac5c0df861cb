package io.rtc4j.netns;

import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunParseException;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.StunTransactionOutput;
import io.rtc4j.stun.StunTransactions;
import io.rtc4j.stun.TransactionId;
import io.rtc4j.stun.XorMappedAddress;
import io.rtc4j.testkit.netns.Ipv4Cidr;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only main, run inside a host's namespace: from ONE UDP socket, a STUN Binding request (RFC 8489 §6.2
 * transaction, rtc4j-stun's sans-IO {@link StunTransactions} under a small real-clock driver) to each server
 * given, printing {@code LOCAL <port>} and then {@code MAPPED <server> <ip:port>} or {@code TIMEOUT <server>}
 * per server, then {@code DONE}. Mapping behaviour (RFC 4787 §4.1) is then visible in the output: one mapped
 * address for all servers (endpoint-independent) or one per server (dependent).
 *
 * <p>Arguments: {@code ip:port ...} literals.
 */
public final class StunMappingProbe {
    private static final Duration BOUND = Duration.ofSeconds(40); // > RFC 8489's 39.5 s transaction timeout

    private StunMappingProbe() {}

    public static void main(String[] args) throws IOException {
        InstantSource clock = InstantSource.system();
        SecureRandom random = new SecureRandom();
        StunTransactions transactions = new StunTransactions();
        Map<TransactionId, InetSocketAddress> servers = new HashMap<>();
        try (DatagramChannel channel = DatagramChannel.open();
                Selector selector = Selector.open()) {
            channel.bind(new InetSocketAddress(0));
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
            System.out.println("LOCAL " + ((InetSocketAddress) channel.getLocalAddress()).getPort());
            for (String arg : args) {
                InetSocketAddress server = parse(arg);
                StunMessage request = StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(random))
                        .build();
                servers.put(request.transactionId(), server);
                transactions.start(clock.instant(), StunCodec.encode(request, StunProtection.FINGERPRINT));
            }
            Instant giveUp = clock.instant().plus(BOUND);
            ByteBuffer in = ByteBuffer.allocate(2048);
            Instant next = drain(transactions, channel, servers);
            while (transactions.outstandingCount() > 0 && clock.instant().isBefore(giveUp)) {
                long waitMs = Math.max(1, Math.min(
                        Duration.between(clock.instant(), next).toMillis(),
                        Duration.between(clock.instant(), giveUp).toMillis()));
                selector.select(waitMs);
                selector.selectedKeys().clear();
                InetSocketAddress from;
                while ((from = (InetSocketAddress) channel.receive(in.clear())) != null) {
                    try {
                        transactions.handleResponse(clock.instant(), StunCodec.decode(in.flip()));
                    } catch (StunParseException e) {
                        System.out.println("DROPPED " + from + " " + e.getMessage());
                    }
                }
                transactions.handleTimeout(clock.instant());
                next = drain(transactions, channel, servers);
            }
        }
        System.out.println("DONE");
    }

    private static Instant drain(
            StunTransactions transactions, DatagramChannel channel, Map<TransactionId, InetSocketAddress> servers)
            throws IOException {
        while (true) {
            switch (transactions.pollOutput()) {
                case StunTransactionOutput.Transmit t -> channel.send(t.data(), servers.get(t.id()));
                case StunTransactionOutput.ResponseReceived r -> {
                    InetSocketAddress server = servers.get(r.response().transactionId());
                    String mapped = r.response()
                            .get(XorMappedAddress.class)
                            .map(x -> x.address().getAddress().getHostAddress() + ":" + x.address().getPort())
                            .orElse("none");
                    System.out.println("MAPPED " + format(server) + " " + mapped);
                }
                case StunTransactionOutput.TimedOut t -> System.out.println("TIMEOUT " + format(servers.get(t.id())));
                case StunTransactionOutput.Timeout t -> {
                    return t.at();
                }
            }
        }
    }

    static InetSocketAddress parse(String ipPort) {
        int colon = ipPort.lastIndexOf(':');
        return new InetSocketAddress(
                Ipv4Cidr.literal(ipPort.substring(0, colon)), Integer.parseInt(ipPort.substring(colon + 1)));
    }

    static String format(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }
}
