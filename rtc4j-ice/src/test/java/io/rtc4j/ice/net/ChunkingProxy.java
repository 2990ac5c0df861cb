package io.rtc4j.ice.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP proxy that forwards each direction in segments of 1 to 7 bytes (TCP_NODELAY, seeded sizes),
 * so the client's reads see TLS records and TURN frames cut anywhere. Test-only; threads end on close.
 */
final class ChunkingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    ChunkingProxy(InetSocketAddress upstream) throws IOException {
        this.upstream = upstream;
        this.listener = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.acceptor = Thread.ofPlatform().daemon().name("chunking-proxy").start(this::accept);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    private void accept() {
        long seed = 1;
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                sockets.add(client);
                sockets.add(server);
                server.connect(upstream, 5_000);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                threads.add(Thread.ofPlatform().daemon().start(pump(client, server, new SplittableRandom(seed++))));
                threads.add(Thread.ofPlatform().daemon().start(pump(server, client, new SplittableRandom(seed++))));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static Runnable pump(Socket from, Socket to, SplittableRandom sizes) {
        return () -> {
            byte[] buf = new byte[4096];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buf)) >= 0; ) {
                    for (int off = 0; off < n; ) {
                        int len = Math.min(n - off, sizes.nextInt(1, 8));
                        out.write(buf, off, len);
                        out.flush();
                        off += len;
                    }
                }
            } catch (IOException e) {
                // one side closed
            }
            closeQuietly(from);
            closeQuietly(to);
        };
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        listener.close();
        sockets.forEach(ChunkingProxy::closeQuietly);
        acceptor.join(5_000);
        for (Thread t : threads) {
            t.join(5_000);
        }
    }
}
