package io.rtc4j.signaling;

import java.util.Objects;

/** What {@link SignalingEngine#pollOutput()} hands the transport. */
public sealed interface SignalingOutput {
    /** Send one text message (JSON, already encoded: a broadcast encodes once) to a connection. */
    record Send(ConnectionId to, String json) implements SignalingOutput {
        public Send {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(json, "json");
        }
    }

    /** Close a connection with a WebSocket close code (RFC 6455 §7.4) after what was sent to it. */
    record Close(ConnectionId connection, int code, String reason) implements SignalingOutput {}

    /**
     * Nothing more to do. The engine keeps no timers (pings and idle time are the transport's), so there is no
     * deadline to return.
     */
    record Idle() implements SignalingOutput {}
}
