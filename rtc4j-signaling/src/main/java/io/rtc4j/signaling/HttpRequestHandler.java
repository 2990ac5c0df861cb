package io.rtc4j.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * Plain HTTP: {@code GET /health}, {@code POST /token} (API key) and static files with ETag revalidation
 * ({@code Cache-Control: no-cache}: fine for development, always fresh after an upgrade).
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final long MAX_TOKEN_TTL_SECONDS = 86_400;
    private final StaticFiles files;
    private final byte[] apiKey;
    private final SignalingConfig config;
    private final SignalingEngine engine;
    private final InstantSource clock;
    private final ObjectMapper json = JsonMapper.builder().build();

    HttpRequestHandler(StaticFiles files, String apiKey, SignalingConfig config, SignalingEngine engine, InstantSource clock) {
        this.files = files;
        this.apiKey = apiKey == null ? null : apiKey.getBytes(StandardCharsets.UTF_8);
        this.config = config;
        this.engine = engine;
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "bad request\n"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.path(); // percent-decoded
        if (path.equals("/health")) {
            if (!isGetOrHead(req)) {
                respond(ctx, req, methodNotAllowed("GET, HEAD"), true);
                return;
            }
            SignalingEngine.Stats s = engine.stats();
            String body = "{\"status\":\"ok\",\"rooms\":" + s.rooms() + ",\"peers\":" + s.peers()
                    + ",\"connections\":" + s.connections() + "}";
            respond(ctx, req, body(HttpResponseStatus.OK, "application/json", body.getBytes(StandardCharsets.UTF_8)), true);
            return;
        }
        if (path.equals("/token")) {
            token(ctx, req);
            return;
        }
        if (!isGetOrHead(req)) {
            respond(ctx, req, methodNotAllowed("GET, HEAD"), true);
            return;
        }
        Optional<StaticFiles.StaticFile> file = path.contains("..") || path.contains("\\") || path.indexOf('\0') >= 0
                ? Optional.empty() : files.find(path);
        if (file.isEmpty()) {
            respond(ctx, req, text(HttpResponseStatus.NOT_FOUND, "not found\n"), true);
            return;
        }
        StaticFiles.StaticFile f = file.get();
        FullHttpResponse res;
        if (f.etag().equals(req.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
        } else {
            res = body(HttpResponseStatus.OK, f.contentType(), f.content());
        }
        res.headers().set(HttpHeaderNames.ETAG, f.etag()).set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        respond(ctx, req, res, true);
    }

    /** POST /token {"room":R,"peer":P?,"ttl":SECONDS?} with Authorization: Bearer API_KEY. */
    private void token(ChannelHandlerContext ctx, FullHttpRequest req) {
        byte[] secret = config.tokenSecret();
        if (apiKey == null || secret == null) {
            respond(ctx, req, text(HttpResponseStatus.NOT_FOUND, "token endpoint disabled (needs an API key and a token secret)\n"), true);
            return;
        }
        if (!req.method().equals(HttpMethod.POST)) {
            respond(ctx, req, methodNotAllowed("POST"), true);
            return;
        }
        String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        byte[] given = auth.startsWith("Bearer ") ? auth.substring(7).getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, apiKey)) {
            FullHttpResponse res = text(HttpResponseStatus.UNAUTHORIZED, "missing or wrong API key\n");
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            respond(ctx, req, res, true);
            return;
        }
        try {
            JsonNode body = json.readTree(req.content().toString(StandardCharsets.UTF_8));
            if (body == null || !body.isObject() || !body.path("room").isTextual()
                    || body.has("peer") && !body.get("peer").isTextual()
                    || body.has("ttl") && !body.get("ttl").canConvertToLong()) {
                throw new IllegalArgumentException("expected {\"room\":string,\"peer\":string?,\"ttl\":seconds?}");
            }
            long ttl = body.has("ttl") ? body.get("ttl").asLong() : 3600;
            if (ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
                throw new IllegalArgumentException("ttl must be 1.." + MAX_TOKEN_TTL_SECONDS + " seconds");
            }
            RoomId room = new RoomId(body.get("room").textValue());
            PeerId peer = body.has("peer") ? new PeerId(body.get("peer").textValue()) : null;
            var now = clock.instant();
            String token = new AccessToken(secret).mint(room, peer, Duration.ofSeconds(ttl), now);
            var out = json.createObjectNode().put("token", token).put("expires_at", now.getEpochSecond() + ttl);
            respond(ctx, req, body(HttpResponseStatus.OK, "application/json", out.toString().getBytes(StandardCharsets.UTF_8)), true);
        } catch (java.io.IOException | IllegalArgumentException e) {
            String msg = e instanceof java.io.IOException ? "body is not JSON" : e.getMessage();
            respond(ctx, req, text(HttpResponseStatus.BAD_REQUEST, msg + "\n"), true);
        }
    }

    private static boolean isGetOrHead(FullHttpRequest req) {
        return req.method().equals(HttpMethod.GET) || req.method().equals(HttpMethod.HEAD);
    }

    private static FullHttpResponse methodNotAllowed(String allow) {
        FullHttpResponse res = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
        res.headers().set(HttpHeaderNames.ALLOW, allow);
        return res;
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return body(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static FullHttpResponse body(HttpResponseStatus status, String type, byte[] content) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(content));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        return res;
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res, boolean mayKeepAlive) {
        res.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setContentLength(res, res.content().readableBytes());
        if (req.method().equals(HttpMethod.HEAD)) {
            res.content().clear(); // RFC 9110 §9.3.2: HEAD gets the headers of GET, no body
        }
        boolean keepAlive = mayKeepAlive && HttpUtil.isKeepAlive(req);
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
