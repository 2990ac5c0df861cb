package io.rtc4j.server.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.server.turn.TlsContexts;
import io.rtc4j.signaling.IceServersProvider;
import io.rtc4j.signaling.SignalingConfig;
import io.rtc4j.signaling.SignalingServer;
import io.rtc4j.signaling.SignalingServerSettings;
import io.rtc4j.testkit.proc.SelfSignedCertificate;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and WSS with a --cert/--pkey certificate loaded by TlsContexts, as `rtc4j server` does. */
class SignalingTlsTest {
    @Test
    void healthOverHttpsAndJoinOverWss(@TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir);
        SSLContext serverTls = TlsContexts.fromPem(cert.certificate(), cert.privateKey());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert.certificate())) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);

        try (SignalingServer server = SignalingServer.start(
                        SignalingServerSettings.of(InetAddress.getLoopbackAddress(), 0).withTls(serverTls).withIoThreads(1),
                        SignalingConfig.defaults(), IceServersProvider.NONE, Clock.systemUTC());
                HttpClient http = HttpClient.newBuilder().sslContext(clientTls).build()) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            CompletableFuture<String> first = new CompletableFuture<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("wss://127.0.0.1:" + server.port() + "/ws"),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            first.complete(data.toString());
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
            ws.sendText("{\"type\":\"join\",\"room_id\":\"r\",\"peer_id\":\"p\"}", true).get(10, TimeUnit.SECONDS);
            assertThat(first.get(10, TimeUnit.SECONDS)).startsWith("{\"type\":\"ice_servers\"");
            ws.abort();
        }
    }
}
