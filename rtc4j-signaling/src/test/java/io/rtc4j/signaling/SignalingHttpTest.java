package io.rtc4j.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The plain-HTTP side: static files (types, caching, no traversal, no listing), /health, POST /token. */
class SignalingHttpTest {
    private static final byte[] SECRET = "http-test-token-secret-0123".getBytes(StandardCharsets.UTF_8);
    private static final String API_KEY = "an-api-key-of-enough-length";
    private final HttpClient http = HttpClient.newHttpClient();
    private SignalingServer server;

    @BeforeEach
    void start() throws Exception {
        server = SignalingServer.start(
                SignalingServerSettings.of(InetAddress.getLoopbackAddress(), 0)
                        .withStaticFiles(new ClasspathStaticFiles(getClass().getClassLoader(), "web/"))
                        .withApiKey(API_KEY)
                        .withIoThreads(1),
                SignalingConfig.builder().tokenSecret(SECRET).build(), IceServersProvider.NONE, Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request line sent as is (java.net.http normalises paths; attackers do not). */
    private String raw(String requestLine) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((requestLine + "\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void staticFilesWithContentTypesAndRevalidation() throws Exception {
        HttpResponse<String> index = get("/");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("<title>t</title>");
        assertThat(index.headers().firstValue("cache-control")).hasValue("no-cache");
        String etag = index.headers().firstValue("etag").orElseThrow();
        assertThat(get("/", "If-None-Match", etag).statusCode()).isEqualTo(304);

        HttpResponse<String> js = get("/sdk/rtc4j.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("content-type")).hasValue("text/javascript; charset=utf-8");
        assertThat(js.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(get("/app.css").headers().firstValue("content-type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/index.html").body()).isEqualTo(index.body());
    }

    @Test
    void noListingNoTraversalNoUnknownFiles() throws Exception {
        assertThat(get("/sdk/").statusCode()).isEqualTo(404); // a folder without index.html: no listing
        assertThat(get("/sdk").statusCode()).isEqualTo(404);
        assertThat(get("/sdk/dir.js").statusCode()).isEqualTo(404); // a directory, however it is named
        assertThat(get("/sdk/dir.js/inner.js").statusCode()).isEqualTo(200);
        assertThat(get("/sdk/notes.unknownext").statusCode()).isEqualTo(404);
        assertThat(get("/nothing.js").statusCode()).isEqualTo(404);
        for (String attack : List.of("GET /../outside.txt HTTP/1.1", "GET /%2e%2e/outside.txt HTTP/1.1",
                "GET /sdk/..%2foutside.txt HTTP/1.1", "GET /..\\outside.txt HTTP/1.1", "GET /sdk/%2e%2e%2f%2e%2e%2fpom.xml HTTP/1.1",
                "GET //etc/passwd HTTP/1.1", "GET /%00.js HTTP/1.1", "GET http://x/../outside.txt HTTP/1.1")) {
            String res = raw(attack);
            assertThat(res).as(attack).startsWith("HTTP/1.1 404").doesNotContain("secret");
        }
        assertThat(raw("DELETE / HTTP/1.1")).startsWith("HTTP/1.1 405");
        String head = raw("HEAD /sdk/rtc4j.js HTTP/1.1");
        assertThat(head).startsWith("HTTP/1.1 200").contains("content-length: 20").doesNotContain("export");
    }

    @Test
    void health() throws Exception {
        HttpResponse<String> h = get("/health");
        assertThat(h.statusCode()).isEqualTo(200);
        assertThat(h.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(h.body()).isEqualTo("{\"status\":\"ok\",\"rooms\":0,\"peers\":0,\"connections\":0}");
    }

    @Test
    void tokenEndpointNeedsTheApiKeyAndMintsTokensTheServerAccepts() throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.port() + "/token");
        String body = "{\"room\":\"r\",\"peer\":\"alice\",\"ttl\":60}";
        var noKey = http.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noKey.statusCode()).isEqualTo(401);
        var wrongKey = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + API_KEY + "x")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrongKey.statusCode()).isEqualTo(401);
        var badBody = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"peer\":1}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(badBody.statusCode()).isEqualTo(400);
        assertThat(get("/token").statusCode()).isEqualTo(405);
        var ok = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode json = new ObjectMapper().readTree(ok.body());
        String token = json.get("token").asText();
        assertThat(json.get("expires_at").asLong()).isBetween(Instant.now().getEpochSecond() + 50, Instant.now().getEpochSecond() + 70);
        assertThat(new AccessToken(SECRET).verify(token, Instant.now())).isInstanceOf(AccessToken.Verified.Valid.class);
        try (WsClient c = new WsClient(http, URI.create("ws://127.0.0.1:" + server.port() + "/ws?token=" + token))) {
            c.join("r", "alice");
            c.joined();
        }
    }
}
