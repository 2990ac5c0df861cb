package io.rtc4j.server.turn;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rtc4j.turn.DropReason;
import io.rtc4j.turn.TurnMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

/** Prometheus metrics of the TURN server over HTTP at /metrics (text exposition format). */
public final class MetricsHttpServer implements AutoCloseable {
    private final HttpServer http;

    private MetricsHttpServer(HttpServer http) {
        this.http = http;
    }

    public static MetricsHttpServer start(InetSocketAddress address, TurnMetrics m) throws IOException {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Gauge.builder("turn_allocations_active", m, TurnMetrics::allocationsActive)
                .description("allocations alive now")
                .register(registry);
        FunctionCounter.builder("turn_allocations", m, TurnMetrics::allocationsCreated).register(registry);
        FunctionCounter.builder("turn_requests", m, TurnMetrics::requests).register(registry);
        FunctionCounter.builder("turn_auth_failures", m, TurnMetrics::authFailures).register(registry);
        FunctionCounter.builder("turn_relayed_packets", m, TurnMetrics::packetsToPeer).tag("direction", "to_peer").register(registry);
        FunctionCounter.builder("turn_relayed_packets", m, TurnMetrics::packetsToClient).tag("direction", "to_client").register(registry);
        FunctionCounter.builder("turn_relayed_bytes", m, TurnMetrics::bytesToPeer).tag("direction", "to_peer").register(registry);
        FunctionCounter.builder("turn_relayed_bytes", m, TurnMetrics::bytesToClient).tag("direction", "to_client").register(registry);
        for (DropReason r : DropReason.values()) {
            FunctionCounter.builder("turn_dropped", m, x -> x.drops(r))
                    .tag("reason", r.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        HttpServer http = HttpServer.create(address, 16);
        http.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/metrics", exchange -> {
            byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        return new MetricsHttpServer(http);
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
