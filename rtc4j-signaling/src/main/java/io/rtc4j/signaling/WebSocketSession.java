package io.rtc4j.signaling;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's WebSocket side: registers it with the engine after the handshake, decodes text messages on
 * the I/O thread, sends pings when the line is quiet and closes it when the client is silent for the idle
 * timeout (RFC 6455 §5.5.2/§5.5.3: a live client answers every ping with a pong).
 */
final class WebSocketSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(WebSocketSession.class);
    private final SignalingServer server;
    private ConnectionId id;

    WebSocketSession(SignalingServer server) {
        this.server = server;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hs) {
            id = server.newConnectionId();
            List<String> tokens = new QueryStringDecoder(hs.requestUri()).parameters().get("token");
            server.opened(id, ctx.channel(), hostOf(hs.requestHeaders().get(HttpHeaderNames.HOST)),
                    tokens == null || tokens.isEmpty() ? null : tokens.get(0));
        } else if (evt instanceof IdleStateEvent idle) {
            switch (idle.state()) {
                case READER_IDLE -> {
                    if (id != null) {
                        SignalingServer.closeWith(ctx.channel(), WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "idle timeout");
                    } else {
                        ctx.close(); // an HTTP connection that went quiet
                    }
                }
                case ALL_IDLE -> {
                    if (id != null) {
                        ctx.writeAndFlush(new PingWebSocketFrame());
                    }
                }
                case WRITER_IDLE -> {}
            }
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof WebSocketFrame frame)) {
            super.channelRead(ctx, msg);
            return;
        }
        try {
            if (id == null) {
                return;
            }
            if (frame instanceof TextWebSocketFrame text) {
                String s = strictUtf8(text.content());
                if (s == null) {
                    // RFC 6455 §8.1: a text message that is not valid UTF-8 fails the connection with 1007
                    SignalingServer.closeWith(ctx.channel(), WebSocketCloseStatus.INVALID_PAYLOAD_DATA.code(), "invalid UTF-8");
                    return;
                }
                server.received(id, server.codec().decode(s));
            } else if (frame instanceof BinaryWebSocketFrame) {
                server.received(id, new SignalingCodec.Decoded.Invalid(
                        SignalingErrorCode.BAD_JSON, "binary frames are not signaling messages: send JSON text", null));
            }
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (id != null) {
            server.closed(id);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // bad input from the network: close this connection, never more
        log.debug("event=connection_failed id={} cause=\"{}\"", id, cause.toString());
        if (id != null && cause instanceof TooLongFrameException) {
            SignalingServer.closeWith(ctx.channel(), WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message too big");
        } else if (id != null) {
            SignalingServer.closeWith(ctx.channel(), WebSocketCloseStatus.PROTOCOL_ERROR.code(), "protocol error");
        } else {
            ctx.close();
        }
    }

    /**
     * The message's text, or null if it is not well-formed UTF-8. The fast path is the JDK's bulk decoding, which
     * replaces malformed input with U+FFFD; only text that then contains U+FFFD is checked strictly.
     */
    static String strictUtf8(ByteBuf content) {
        byte[] bytes = ByteBufUtil.getBytes(content);
        String s = new String(bytes, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') < 0) {
            return s;
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** The host part of a Host header, if it is a plain name or address literal (it ends up in ICE URLs). */
    static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.length() > 255) {
            return null;
        }
        String host;
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            if (end < 0) {
                return null;
            }
            host = hostHeader.substring(0, end + 1);
        } else {
            int colon = hostHeader.indexOf(':');
            host = colon < 0 ? hostHeader : hostHeader.substring(0, colon);
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
            if (!ok) {
                return null;
            }
        }
        return host.isEmpty() ? null : host;
    }
}
