package io.rtc4j.server.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link PeerHttpPost}: the response framings, connection reuse, a stale kept-alive connection, and bad input. */
class PeerHttpPostTest {
    private static PeerHttpPost.Read read(String wire) throws IOException {
        return PeerHttpPost.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readsContentLengthChunkedAndCloseDelimitedBodies() throws IOException {
        PeerHttpPost.Read a = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA");
        assertThat(a.response()).isEqualTo(new PeerHttpPost.Response(200, "hello"));
        assertThat(a.reusable()).isTrue();
        PeerHttpPost.Read b = read("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3;ext=1\r\nhel\r\n2\r\nlo\r\n0\r\nX-Trailer: 1\r\n\r\n");
        assertThat(b.response().body()).isEqualTo("hello");
        assertThat(b.reusable()).isTrue();
        PeerHttpPost.Read c = read("HTTP/1.0 503 Service Unavailable\n\n{\"error\":\"busy\"}"); // bare LF, no framing
        assertThat(c.response()).isEqualTo(new PeerHttpPost.Response(503, "{\"error\":\"busy\"}"));
        assertThat(c.reusable()).isFalse();
        assertThat(read("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n").reusable()).isFalse();
        assertThat(read("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n").response().body()).isEmpty();
    }

    @Test
    void malformedTruncatedOrOversizedResponsesAreIoErrorsWithAReason() {
        for (String bad : List.of("", "SSH-2.0-OpenSSH\r\n\r\n", "HTTP/1.1 2x0 OK\r\n\r\n", "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Le")) {
            assertThatThrownBy(() -> read(bad)).as(bad).isInstanceOf(IOException.class).hasMessageNotContaining("null");
        }
        String hugeHead = "HTTP/1.1 200 OK\r\nX: " + "a".repeat(PeerHttpPost.MAX_HEAD) + "\r\n\r\n";
        assertThatThrownBy(() -> read(hugeHead)).hasMessageContaining("head over");
        String hugeChunk = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(PeerHttpPost.MAX_BODY + 1) + "\r\n";
        assertThatThrownBy(() -> read(hugeChunk)).hasMessageContaining("body over");
    }

    @Test
    void keptAliveConnectionCarriesTheNextPostAndAStaleOneIsRetriedOnce() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/offer", ex -> {
            try (ex) {
                bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] b = "{\"type\":\"answer\"}".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
            }
        });
        // counts TCP connections: a relay in front of the server
        try (ServerSocket front = new ServerSocket(0, 8, InetAddress.getLoopbackAddress()); PeerHttpPost post = new PeerHttpPost()) {
            server.start();
            int port = server.getAddress().getPort();
            Thread relay = Thread.ofVirtual().start(() -> relay(front, port, connections));
            URI url = URI.create("http://127.0.0.1:" + front.getLocalPort() + "/offer");
            assertThat(post.post(url, "{\"n\":1}", 5000)).isEqualTo(new PeerHttpPost.Response(200, "{\"type\":\"answer\"}"));
            assertThat(post.post(url, "{\"n\":2}", 5000).status()).isEqualTo(200);
            assertThat(connections.get()).isEqualTo(1);
            server.stop(0); // closes the idle kept-alive connection; a new server answers on the same port
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
            server.createContext("/offer", ex -> {
                try (ex) {
                    bodies.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    ex.sendResponseHeaders(201, -1);
                }
            });
            server.start();
            // the relay closes our side when the server closed its: the next POST finds the connection stale
            assertThat(post.post(url, "{\"n\":3}", 5000)).isEqualTo(new PeerHttpPost.Response(201, ""));
            assertThat(connections.get()).isEqualTo(2);
            assertThat(bodies).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            relay.interrupt();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSilentServerTimesOutAndANonHttpUrlIsRefused() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress()); PeerHttpPost post = new PeerHttpPost()) {
            URI url = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/offer");
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> post.post(url, "{}", 300)).isInstanceOf(SocketTimeoutException.class);
            assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5000);
            assertThatThrownBy(() -> post.post(URI.create("https://127.0.0.1:1/offer"), "{}", 300))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Accepts connections and pipes each to the server's port until either side closes, counting them. */
    private static void relay(ServerSocket front, int port, AtomicInteger connections) {
        while (!front.isClosed() && !Thread.currentThread().isInterrupted()) {
            Socket client;
            try {
                client = front.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                try (client; Socket back = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    Thread up = Thread.ofVirtual().start(() -> pipe(client, back));
                    pipe(back, client);
                    up.join(5000);
                } catch (IOException | InterruptedException e) {
                    // the test ends or a side closed
                }
            });
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) >= 0; ) {
                to.getOutputStream().write(b, 0, n);
            }
        } catch (IOException e) {
            // closed
        } finally {
            try {
                to.shutdownOutput();
                to.close();
                from.close();
            } catch (IOException e) {
                // closed
            }
        }
    }
}
