package io.rtc4j.turn.net;

import io.rtc4j.turn.TransportProtocol;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import javax.net.ssl.SSLContext;

/** A TCP or TLS listening socket; accepted connections are spread over the event loops round robin. */
final class Acceptor {
    /** Connections accepted per readiness event, so a SYN flood cannot starve the loop. */
    private static final int ACCEPT_BUDGET = 64;

    final ServerSocketChannel channel;
    private final TransportProtocol transport;
    private final List<EventLoop> loops;
    private final SSLContext tls;
    private int next;

    Acceptor(ServerSocketChannel channel, TransportProtocol transport, List<EventLoop> loops, SSLContext tls) {
        this.channel = channel;
        this.transport = transport;
        this.loops = loops;
        this.tls = tls;
    }

    void accept() throws IOException {
        for (int i = 0; i < ACCEPT_BUDGET; i++) {
            SocketChannel ch = channel.accept();
            if (ch == null) {
                return;
            }
            EventLoop loop = loops.get(next++ % loops.size());
            loop.adopt(ch, transport, tls);
        }
    }
}
