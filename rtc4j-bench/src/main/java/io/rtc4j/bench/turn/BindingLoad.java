package io.rtc4j.bench.turn;

import io.rtc4j.stun.MessageType;
import io.rtc4j.stun.StunCodec;
import io.rtc4j.stun.StunMessage;
import io.rtc4j.stun.StunProtection;
import io.rtc4j.stun.TransactionId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Closed-loop STUN Binding load (RFC 8489 §6) over UDP: a few client sockets, each keeping a window of
 * requests in flight, on one selector thread (the caller's). Requests are one pre-encoded 20-byte message
 * whose transaction id gets a counter patched in; nothing is allocated per packet. A window that stays silent
 * for {@link #LOSS_TIMEOUT_NANOS} is presumed lost and refilled, so a drop never stalls the loop.
 */
final class BindingLoad {
    private static final long LOSS_TIMEOUT_NANOS = 20_000_000;
    private static final int BINDING_SUCCESS = MessageType.BINDING_SUCCESS.encode();

    private static final long WARMUP_INTERVAL_NANOS = 1_000_000_000;
    private static final double WARMUP_GAIN = 1.05;
    private static final int WARMUP_FLAT_INTERVALS = 2;

    /** Responses counted in the measured interval only; {@code warmupSeconds}: how long warming took. */
    record Result(long answered, long errors, long sent, double seconds, double warmupSeconds) {
        double perSecond() {
            return answered / seconds;
        }
    }

    private BindingLoad() {}

    /**
     * Warms up until the answer rate stops rising (two 1 s intervals in a row less than 5% above the best one
     * so far: a JIT-compiled server needs seconds, coturn none), at least {@code minWarmup} and at most
     * {@code maxWarmup}; then measures for {@code measure}.
     */
    static Result run(
            InetSocketAddress server,
            int sockets,
            int window,
            Duration minWarmup,
            Duration maxWarmup,
            Duration measure,
            RandomGenerator random)
            throws IOException {
        List<Client> clients = new ArrayList<>(sockets);
        try (Selector selector = Selector.open()) {
            byte[] template = StunCodec.encode(
                    StunMessage.builder(MessageType.BINDING_REQUEST, TransactionId.random(random)).build(),
                    StunProtection.NONE);
            for (int i = 0; i < sockets; i++) {
                Client c = new Client(server, template);
                clients.add(c);
                c.channel.register(selector, SelectionKey.OP_READ, c);
            }
            ByteBuffer in = ByteBuffer.allocateDirect(2048);
            Consumer<SelectionKey> onReadable = key -> ((Client) key.attachment()).drain(in);

            long start = System.nanoTime();
            long minWarmupEnd = start + minWarmup.toNanos();
            long maxWarmupEnd = start + Math.max(minWarmup.toNanos(), maxWarmup.toNanos());
            long measureStart = 0;
            long end = Long.MAX_VALUE;
            boolean measuring = false;
            long answeredAtStart = 0;
            long errorsAtStart = 0;
            long sentAtStart = 0;
            long lastProgress = start;
            long nextCheck = start + WARMUP_INTERVAL_NANOS;
            long answeredAtCheck = 0;
            double bestRate = 0;
            int flat = 0;
            for (Client c : clients) {
                c.refill(window);
            }
            while (true) {
                long now = System.nanoTime();
                if (!measuring) {
                    if (now - nextCheck >= 0) {
                        long answered = answered(clients);
                        double rate = (answered - answeredAtCheck) / (WARMUP_INTERVAL_NANOS / 1e9);
                        answeredAtCheck = answered;
                        nextCheck = now + WARMUP_INTERVAL_NANOS;
                        if (rate > bestRate * WARMUP_GAIN) {
                            flat = 0;
                        } else {
                            flat++;
                        }
                        bestRate = Math.max(bestRate, rate);
                    }
                    boolean steady = flat >= WARMUP_FLAT_INTERVALS && now - minWarmupEnd >= 0;
                    if (steady || now - maxWarmupEnd >= 0) {
                        measuring = true;
                        measureStart = now;
                        end = now + measure.toNanos();
                        answeredAtStart = answered(clients);
                        errorsAtStart = errors(clients);
                        sentAtStart = sent(clients);
                    }
                } else if (now - end >= 0) {
                    break;
                }
                int ready = selector.select(onReadable, 5);
                now = System.nanoTime();
                if (ready > 0) {
                    lastProgress = now;
                } else if (now - lastProgress > LOSS_TIMEOUT_NANOS) {
                    for (Client c : clients) {
                        c.outstanding = 0; // presumed lost
                    }
                    lastProgress = now;
                }
                for (Client c : clients) {
                    c.refill(window);
                }
            }
            double seconds = (System.nanoTime() - measureStart) / 1e9;
            return new Result(
                    answered(clients) - answeredAtStart,
                    errors(clients) - errorsAtStart,
                    sent(clients) - sentAtStart,
                    seconds,
                    (measureStart - start) / 1e9);
        } finally {
            for (Client c : clients) {
                c.channel.close();
            }
        }
    }

    private static long answered(List<Client> clients) {
        long n = 0;
        for (Client c : clients) {
            n += c.answered;
        }
        return n;
    }

    private static long errors(List<Client> clients) {
        long n = 0;
        for (Client c : clients) {
            n += c.errors;
        }
        return n;
    }

    private static long sent(List<Client> clients) {
        long n = 0;
        for (Client c : clients) {
            n += c.sent;
        }
        return n;
    }

    /** One client socket, connected to the server, non-blocking. */
    private static final class Client {
        final DatagramChannel channel;
        final ByteBuffer request;
        int outstanding;
        long sent;
        long answered;
        long errors;

        Client(InetSocketAddress server, byte[] template) throws IOException {
            channel = DatagramChannel.open();
            try {
                channel.bind(new InetSocketAddress(server.getAddress(), 0));
                channel.connect(server);
                channel.configureBlocking(false);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            request = ByteBuffer.allocateDirect(template.length).put(template).flip();
        }

        void refill(int window) {
            try {
                while (outstanding < window) {
                    // last 4 bytes of the transaction id: a counter, so every request is distinct
                    request.putInt(16, (int) sent);
                    request.clear();
                    if (channel.write(request) == 0) {
                        return; // socket send buffer full: try again after the next select
                    }
                    sent++;
                    outstanding++;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void drain(ByteBuffer in) {
            try {
                while (true) {
                    in.clear();
                    int n = channel.read(in);
                    if (n <= 0) {
                        return;
                    }
                    if (n >= StunCodec.HEADER_LENGTH && (in.getShort(0) & 0xFFFF) == BINDING_SUCCESS) {
                        answered++;
                    } else {
                        errors++;
                    }
                    if (outstanding > 0) {
                        outstanding--;
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
