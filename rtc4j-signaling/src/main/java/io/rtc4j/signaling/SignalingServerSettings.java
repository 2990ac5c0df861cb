package io.rtc4j.signaling;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * Where and how the HTTP/WebSocket server listens.
 *
 * @param addresses addresses to bind; empty = the wildcard address (every interface)
 * @param port TCP port; 0 = any free port
 * @param tls HTTPS/WSS when not null
 * @param staticFiles what {@code GET /...} serves
 * @param apiKey enables {@code POST /token} for callers with {@code Authorization: Bearer <apiKey>}; null = off
 * @param ioThreads Netty event loops; 0 = one per CPU
 */
public record SignalingServerSettings(
        List<InetAddress> addresses, int port, SSLContext tls, StaticFiles staticFiles, String apiKey, int ioThreads) {
    public SignalingServerSettings {
        addresses = List.copyOf(addresses);
        Objects.requireNonNull(staticFiles, "staticFiles");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (apiKey != null && apiKey.length() < 16) {
            throw new IllegalArgumentException("API key must have at least 16 characters");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0");
        }
    }

    /** One address, no TLS, no files, no API key. */
    public static SignalingServerSettings of(InetAddress address, int port) {
        return new SignalingServerSettings(List.of(address), port, null, StaticFiles.NONE, null, 0);
    }

    public SignalingServerSettings withStaticFiles(StaticFiles files) {
        return new SignalingServerSettings(addresses, port, tls, files, apiKey, ioThreads);
    }

    public SignalingServerSettings withApiKey(String key) {
        return new SignalingServerSettings(addresses, port, tls, staticFiles, key, ioThreads);
    }

    public SignalingServerSettings withTls(SSLContext context) {
        return new SignalingServerSettings(addresses, port, context, staticFiles, apiKey, ioThreads);
    }

    public SignalingServerSettings withIoThreads(int n) {
        return new SignalingServerSettings(addresses, port, tls, staticFiles, apiKey, n);
    }
}
