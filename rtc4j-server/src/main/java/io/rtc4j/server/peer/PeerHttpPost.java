package io.rtc4j.server.peer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The one request {@code rtc4j peer offer} makes per connection, {@code POST} of a JSON body to an
 * {@code http://} URL, as a blocking HTTP/1.1 exchange (RFC 9112) on a kept-alive socket. The JDK's
 * {@code HttpClient} hands every exchange between its selector thread and an executor, which cost 2 to 4 ms per
 * offer on loopback, and that time is part of connect_ms. Responses are read by Content-Length, chunked
 * transfer coding, or to the end of the connection; anything else malformed is an {@link IOException}.
 *
 * <p>Thread-safe: each exchange takes an idle connection for its origin (or opens one) and gives it back only
 * after a complete response that allows reuse. A reused connection that the server closed meanwhile is retried
 * once on a new one (RFC 9112 §9.3.1: a POST whose request was never read may be retried).
 */
final class PeerHttpPost implements AutoCloseable {
    /** Status line and headers, together. */
    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_BODY = PeerJson.MAX_LENGTH;

    record Response(int status, String body) {}

    private final Map<String, Connection> idle = new HashMap<>();

    /** POSTs {@code body} as {@code application/json}; {@code timeoutMillis} bounds connect and every read. */
    Response post(URI url, String body, int timeoutMillis) throws IOException {
        if (!"http".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("not an http:// URL: " + url);
        }
        String origin = url.getHost() + ":" + port(url);
        byte[] request = request(url, body.getBytes(StandardCharsets.UTF_8));
        Connection reused = take(origin);
        if (reused != null) {
            try {
                return exchange(origin, reused, request, timeoutMillis);
            } catch (StaleConnectionException e) {
                // closed by the server while idle, before it read our request: once more on a new connection
            }
        }
        Connection fresh = Connection.open(url.getHost(), port(url), timeoutMillis);
        try {
            return exchange(origin, fresh, request, timeoutMillis);
        } catch (StaleConnectionException e) {
            throw new IOException("the server closed the connection without a response", e);
        }
    }

    private Response exchange(String origin, Connection c, byte[] request, int timeoutMillis) throws IOException {
        boolean keep = false;
        try {
            c.socket.setSoTimeout(timeoutMillis);
            try {
                c.out.write(request);
                c.out.flush();
            } catch (IOException e) {
                throw new StaleConnectionException(e); // reset by a server that closed it: nothing was read
            }
            Read r = read(c.in);
            keep = r.reusable();
            return r.response();
        } finally {
            if (keep) {
                give(origin, c);
            } else {
                c.close();
            }
        }
    }

    private static byte[] request(URI url, byte[] body) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + body.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    /** A response and whether its connection may carry the next request (kept alive, body framed). */
    record Read(Response response, boolean reusable) {}

    /**
     * Reads one response (RFC 9112 §2.1: status line, header fields, body). Whatever the bytes, the outcome is a
     * {@link Read} or an {@link IOException}; the head and the body are bounded ({@link #MAX_HEAD}, {@link #MAX_BODY}).
     */
    static Read read(InputStream in) throws IOException {
        Head head = readHead(in);
        String body = readBody(in, head);
        return new Read(new Response(head.status, body), head.keepAlive && head.framed);
    }

    private record Head(int status, long contentLength, boolean chunked, boolean keepAlive, boolean framed) {}

    private static Head readHead(InputStream in) throws IOException {
        int[] budget = {MAX_HEAD};
        String status = readLine(in, budget, true);
        // RFC 9112 §4: HTTP-version SP status-code SP [reason-phrase]
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
            throw new IOException("not an HTTP/1.x status line: " + abbreviate(status));
        }
        int code;
        try {
            code = Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad status code: " + abbreviate(status));
        }
        boolean keepAlive = status.startsWith("HTTP/1.1");
        long length = -1;
        boolean chunked = false;
        for (String line = readLine(in, budget, false); !line.isEmpty(); line = readLine(in, budget, false)) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad header line: " + abbreviate(line));
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("bad Content-Length: " + abbreviate(value));
                    }
                    if (length < 0) {
                        throw new IOException("bad Content-Length: " + value);
                    }
                }
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> keepAlive = value.contains("keep-alive") || (keepAlive && !value.contains("close"));
                default -> {}
            }
        }
        if (code == 204 || code == 304 || code / 100 == 1) {
            length = 0; // RFC 9112 §6.3: no content, whatever the headers say
            chunked = false;
        }
        return new Head(code, length, chunked, keepAlive, chunked || length >= 0);
    }

    private static String readBody(InputStream in, Head head) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        if (head.chunked) {
            int[] budget = {MAX_HEAD};
            while (true) {
                String size = readLine(in, budget, false);
                int semi = size.indexOf(';');
                long n;
                try {
                    n = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + abbreviate(size));
                }
                if (n < 0 || b.size() + n > MAX_BODY) {
                    throw new IOException("response body over " + MAX_BODY + " bytes");
                }
                if (n == 0) {
                    while (!readLine(in, budget, false).isEmpty()) {
                        // trailer fields: ignored
                    }
                    break;
                }
                copy(in, b, n);
                if (!readLine(in, budget, false).isEmpty()) {
                    throw new IOException("chunk data not followed by CRLF");
                }
            }
        } else if (head.contentLength >= 0) {
            if (head.contentLength > MAX_BODY) {
                throw new IOException("response body over " + MAX_BODY + " bytes");
            }
            copy(in, b, head.contentLength);
        } else {
            byte[] rest = in.readNBytes(MAX_BODY + 1); // no framing: the body ends with the connection
            if (rest.length > MAX_BODY) {
                throw new IOException("response body over " + MAX_BODY + " bytes");
            }
            b.write(rest);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private static void copy(InputStream in, ByteArrayOutputStream to, long n) throws IOException {
        byte[] data = in.readNBytes((int) n);
        if (data.length != n) {
            throw new IOException("the connection ended after " + data.length + " of " + n + " body bytes");
        }
        to.write(data);
    }

    /**
     * One CRLF- (or bare LF-) terminated line. The end of the stream before the first byte of a response is a
     * {@link StaleConnectionException} (the server closed an idle connection); anywhere else it is an error.
     */
    private static String readLine(InputStream in, int[] budget, boolean firstOfResponse) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int c;
            try {
                c = in.read();
            } catch (SocketTimeoutException e) {
                throw e;
            } catch (IOException e) {
                if (firstOfResponse && s.isEmpty()) {
                    throw new StaleConnectionException(e);
                }
                throw e;
            }
            if (c < 0) {
                if (firstOfResponse && s.isEmpty()) {
                    throw new StaleConnectionException(null);
                }
                throw new IOException("the connection ended inside the response head");
            }
            if (--budget[0] < 0) {
                throw new IOException("response head over " + MAX_HEAD + " bytes");
            }
            if (c == '\n') {
                int last = s.length() - 1;
                return last >= 0 && s.charAt(last) == '\r' ? s.substring(0, last) : s.toString();
            }
            s.append((char) c);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    private static int port(URI url) {
        return url.getPort() < 0 ? 80 : url.getPort();
    }

    private synchronized Connection take(String origin) {
        return idle.remove(origin);
    }

    private void give(String origin, Connection c) {
        Connection old;
        synchronized (this) {
            old = idle.put(origin, c);
        }
        if (old != null) {
            old.close();
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            idle.values().forEach(Connection::close);
            idle.clear();
        }
    }

    /** No response byte came on a reused connection: the server had closed it. */
    private static final class StaleConnectionException extends IOException {
        StaleConnectionException(IOException cause) {
            super("stale connection", cause);
        }
    }

    private record Connection(Socket socket, InputStream in, OutputStream out) {
        static Connection open(String host, int port, int timeoutMillis) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true); // the request goes out in one write; never wait for an ACK
                s.connect(new InetSocketAddress(host, port), timeoutMillis);
                return new Connection(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream());
            } catch (IOException | RuntimeException e) {
                s.close();
                throw e;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing: nothing to do
            }
        }
    }
}
